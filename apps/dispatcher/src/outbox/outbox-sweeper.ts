import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { childSpan, inSpan, messageTrace, PeriodicTask } from '@app/observability';
import { SendQueues } from '@app/transport';
import { MessageRepository } from '../messages/message.repository';
import { QueuedMessage, sendJobFor } from '../messages/send-job';

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
  private readonly task: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: MessageRepository,
    private readonly queues: SendQueues,
  ) {
    this.task = new PeriodicTask('outbox sweep', this.logger, config.outboxSweepIntervalMs, () => this.sweep());
  }

  onApplicationBootstrap(): void {
    this.task.start(1_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Returns how many messages were handed to the queue again. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const stale = await this.repository.findStale(ENQUEUE_GRACE_MS, this.config.outboxStaleAfterMs, BATCH);
      if (stale.length === 0) break;
      await inSpan('outbox.requeue', { attributes: { 'messagejs.messages': stale.length } }, () => this.requeue(stale));
      await this.repository.touch(stale.map((s) => s.id));
      total += stale.length;
      if (stale.length < BATCH) break;
    }
    if (total) this.logger.log(`outbox sweep re-queued ${total} messages`);
    return total;
  }

  /**
   * Each message is re-queued from a span in its own trace (the one stored at accept), linked to this
   * sweep's span: the send job continues the message's trace, not the sweep's.
   */
  private async requeue(stale: QueuedMessage[]): Promise<void> {
    const spans = stale.map((m) => {
      const { parent, links } = messageTrace(m.traceContext);
      return childSpan('message.requeue', parent, { 'messagejs.message_id': m.id, 'messagejs.connector.type': m.connectorType }, links);
    });
    try {
      await this.queues.addRouted(stale.map((m, i) => sendJobFor({ ...m, trace: spans[i].carrier }, true)));
      for (const span of spans) span.end();
    } catch (err) {
      for (const span of spans) span.end(err);
      throw err;
    }
  }
}
