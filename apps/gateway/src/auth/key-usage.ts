import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { API_KEY_LAST_USED_RESOLUTION_MS } from '@app/contracts';
import { RpcClient } from '@app/transport';
import { RateLimiter } from '../rate-limit/rate-limiter';

const FLUSH_EVERY_MS = 5_000;

/**
 * Records when API keys are used without a database write per request: keys seen here are gathered
 * for a few seconds, a Redis gate (first in the minute, across every gateway) picks the ones due, and
 * management writes those in one batch. A key this gateway passed through the gate is not asked
 * about again until its minute is over.
 */
@Injectable()
export class KeyUsage implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyUsage.name);
  /** Key id → its project, for the keys seen since the last flush. */
  private seen = new Map<string, string>();
  /** Key id → until when it needs no recording (this gateway, or another, recorded it this minute). */
  private readonly quiet = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rpc: RpcClient,
    private readonly gate: RateLimiter,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
  }

  /** Before the Redis and RPC clients close (their hooks run at application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Called for every request a key authenticates: a map lookup, nothing more. */
  record(key: { keyId: string; projectId: string }): void {
    if ((this.quiet.get(key.keyId) ?? 0) <= Date.now()) this.seen.set(key.keyId, key.projectId);
  }

  async flush(): Promise<void> {
    if (this.seen.size === 0) return;
    const seen = [...this.seen].map(([keyId, projectId]) => ({ keyId, projectId }));
    const keyIds = seen.map((key) => key.keyId);
    this.seen = new Map();
    const now = Date.now();
    for (const [keyId, until] of this.quiet) if (until <= now) this.quiet.delete(keyId);
    try {
      const first = await this.gate.firstInWindow(
        keyIds.map((id) => `keyused:${id}`),
        API_KEY_LAST_USED_RESOLUTION_MS,
      );
      for (const keyId of keyIds) this.quiet.set(keyId, now + API_KEY_LAST_USED_RESOLUTION_MS);
      const due = seen.filter((_, i) => first[i]);
      if (due.length) await this.rpc.send('apiKeys.touch', { keys: due, at: new Date(now).toISOString() });
    } catch (err) {
      this.logger.warn(`could not record the use of ${keyIds.length} API keys: ${(err as Error).message}`);
    }
  }
}
