import { Injectable, Logger } from '@nestjs/common';
import { AttemptOutcome } from '@app/contracts';
import { RpcClient } from '@app/transport';

const MAX_BATCH = 200;
const LINGER_MS = 2;
const DEADLINE_MS = 120_000;

interface Waiting {
  outcome: AttemptOutcome;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Tells the dispatcher (which owns message status) what each attempt did. Outcomes that finish
 * together travel in one RPC and land in one UPDATE; each caller still waits for its own to be stored.
 * A dispatcher that does not answer is retried with backoff, up to two minutes.
 */
@Injectable()
export class OutcomeReporter {
  private readonly logger = new Logger(OutcomeReporter.name);
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly rpc: RpcClient) {}

  report(outcome: AttemptOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ outcome, resolve, reject });
      if (this.waiting.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), LINGER_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, MAX_BATCH);
    if (batch.length) void this.deliver(batch);
    if (this.waiting.length) this.timer = setTimeout(() => this.flush(), 0);
  }

  private async deliver(batch: Waiting[]): Promise<void> {
    const deadline = Date.now() + DEADLINE_MS;
    for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        await this.rpc.send('messages.recordAttempts', { outcomes: batch.map((w) => w.outcome) }, 10_000);
        for (const w of batch) w.resolve();
        return;
      } catch (err) {
        if (Date.now() + wait > deadline) {
          for (const w of batch) w.reject(err);
          return;
        }
        this.logger.warn(`recording ${batch.length} attempts failed, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
