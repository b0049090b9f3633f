import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SendQueues } from '@app/transport';
import { MessageRepository } from '../messages/message.repository';

const ENQUEUE_GRACE_MS = 5_000;
const BATCH = 500;

/**
 * The outbox half of invariant 1: a message committed in PostgreSQL but missing from the queue
 * (a crash between INSERT and addBulk, or a Redis that lost its data) is handed to the queue again.
 * The job id is the message id, so re-adding one that is still queued changes nothing.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: MessageRepository,
    private readonly queues: SendQueues,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`outbox sweep failed: ${err.message}`))
        .finally(() => {
          this.timer = setTimeout(tick, this.config.outboxSweepIntervalMs);
        });
    };
    this.timer = setTimeout(tick, 1_000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  /** Returns how many messages were handed to the queue again. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const stale = await this.repository.findStale(ENQUEUE_GRACE_MS, this.config.outboxStaleAfterMs, BATCH);
      if (stale.length === 0) break;
      await this.queues.addRouted(stale);
      await this.repository.touch(stale.map((s) => s.job.messageId));
      total += stale.length;
      if (stale.length < BATCH) break;
    }
    if (total) this.logger.log(`outbox sweep re-queued ${total} messages`);
    return total;
  }
}
