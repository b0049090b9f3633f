import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { childSpan, contextFrom, logBackgroundFailure, recordBackgroundFailure } from '@app/observability';
import { SendQueues } from '@app/transport';
import { IdempotentMatch, MessageRepository, NewMessage } from './message.repository';
import { sendJobFor } from './send-job';

/** Either the message was stored now, or an earlier request with its Idempotency-Key stored one. */
export type AcceptResult = { stored: true } | { stored: false; match: IdempotentMatch };

interface Pending {
  message: NewMessage;
  resolve: (result: AcceptResult) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 500;
const MAX_FLUSHES_IN_FLIGHT = 4;

/**
 * Group commit for the accept path: requests that arrive together share one INSERT (and one
 * addBulk per connector type). A caller's promise resolves only after the INSERT committed — that is
 * what makes the 202 durable; the queue hand-off after it is recovered by the outbox sweep if lost.
 */
@Injectable()
export class AcceptBatcher {
  private readonly logger = new Logger(AcceptBatcher.name);
  private pending: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly repository: MessageRepository,
    private readonly queues: SendQueues,
  ) {}

  submit(message: NewMessage): Promise<AcceptResult> {
    return new Promise<AcceptResult>((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_FLUSHES_IN_FLIGHT || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.inFlight++;
    let stored: NewMessage[];
    try {
      const matches = await this.repository.insertMany(batch.map((p) => p.message));
      stored = [];
      for (const p of batch) {
        const match = matches.get(p.message.id);
        if (match === undefined) {
          stored.push(p.message);
          p.resolve({ stored: true });
        } else if (match) {
          p.resolve({ stored: false, match });
        } else {
          p.reject(new DomainError(ErrorCode.Conflict, 'the message made with this Idempotency-Key was just deleted; retry the request'));
        }
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    } finally {
      this.inFlight--;
      this.schedule();
    }
    if (stored.length) await this.enqueue(stored);
  }

  private async enqueue(messages: NewMessage[]): Promise<void> {
    // One dispatch span per message, in that message's trace: the send job continues from it.
    const spans = messages.map((m) =>
      childSpan('message.dispatch', contextFrom(m.trace), { 'messagejs.message_id': m.id, 'messagejs.connector.type': m.connectorType }),
    );
    try {
      await this.queues.addRouted(messages.map((m, i) => sendJobFor({ ...m, trace: spans[i].carrier })));
      for (const span of spans) span.end();
    } catch (err) {
      for (const span of spans) span.end(err);
      // Durable already: the outbox sweep hands these to the queue once Redis answers again.
      const ids = messages.map((m) => m.id);
      recordBackgroundFailure(this.logger, 'send-enqueue', err, { messageIds: ids }, ids.length);
      await this.repository
        .markNotEnqueued(ids)
        .catch(logBackgroundFailure(this.logger, 'mark-not-enqueued', { messageIds: ids }, ids.length));
    }
  }
}
