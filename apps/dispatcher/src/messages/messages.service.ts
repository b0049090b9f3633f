import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AcceptedMessage,
  AttemptOutcome,
  DomainError,
  ErrorCode,
  ListMessagesQuery,
  MessagePage,
  MessageWithEvents,
  SendMessageCommand,
} from '@app/contracts';
import { inSpan, logBackgroundFailure, messageTrace, Span, traceCarrier } from '@app/observability';
import { AcceptBatcher } from './accept-batcher';
import { ConnectorDirectory } from './connector-directory';
import { SendQueues } from '@app/transport';
import { StatusEvents } from '../events/status-events';
import { ReceiptsService } from '../receipts/receipts.service';
import { MessageComposer } from './message-composer';
import { MessageRepository } from './message.repository';

@Injectable()
export class MessagesService {
  private readonly logger = new Logger(MessagesService.name);

  constructor(
    private readonly directory: ConnectorDirectory,
    private readonly batcher: AcceptBatcher,
    private readonly repository: MessageRepository,
    private readonly composer: MessageComposer,
    private readonly receipts: ReceiptsService,
    private readonly events: StatusEvents,
    private readonly queues: SendQueues,
  ) {}

  /** Resolves the connector, checks what only the channel can judge, then persists (durably) and routes. */
  accept(cmd: SendMessageCommand): Promise<AcceptedMessage> {
    const id = randomUUID();
    return inSpan('message.accept', { messageId: id }, (span) => this.acceptAs(id, cmd, span));
  }

  private async acceptAs(id: string, cmd: SendMessageCommand, span: Span): Promise<AcceptedMessage> {
    const connector = await this.directory.resolve(cmd.projectId, cmd.connector);
    span.setAttribute('messagejs.connector.type', connector.type);
    const composed = await this.composer.compose(cmd, connector);
    const createdAt = new Date();
    const result = await this.batcher.submit({
      id,
      projectId: cmd.projectId,
      connectorId: connector.id,
      connectorType: connector.type,
      to: cmd.to,
      body: composed.body,
      subject: composed.subject,
      whatsappTemplate: composed.whatsappTemplate,
      metadata: cmd.metadata ?? null,
      idempotency: cmd.idempotency ?? null,
      createdAt,
      trace: traceCarrier(),
    });
    if (!result.stored) {
      // The gateway lost the first answer (a timeout, a restart): answer as it would have, unless the body differs.
      if (result.match.fingerprint !== cmd.idempotency?.fingerprint) {
        throw new DomainError(ErrorCode.ValidationFailed, 'this Idempotency-Key was used with a different request body', [
          { field: 'Idempotency-Key', message: 'was used with a different request body' },
        ]);
      }
      return result.match.message;
    }
    void this.events
      .emit([{ projectId: cmd.projectId, messageId: id, type: 'message.queued', at: createdAt.toISOString() }])
      .catch(logBackgroundFailure(this.logger, 'status-event', { messageId: id }));
    this.logger.debug(`accepted for the ${connector.type} connector ${connector.id}`);
    return { id, status: 'queued', connector, to: cmd.to, createdAt: createdAt.toISOString() };
  }

  list(query: ListMessagesQuery): Promise<MessagePage> {
    return this.repository.list(query);
  }

  get(projectId: string, messageId: string): Promise<MessageWithEvents> {
    return this.repository.get(projectId, messageId);
  }

  /** POST /messages/:id/retry: a failed message gets one more round of attempts (409 unless failed). */
  async retry(projectId: string, messageId: string): Promise<MessageWithEvents> {
    const redriven = await this.repository.redrive(projectId, messageId);
    if (!redriven) {
      const current = await this.repository.get(projectId, messageId);
      throw new DomainError(ErrorCode.Conflict, `only a failed message can be retried; this one is ${current.status}`);
    }
    // The row is committed as queued first: if this hand-off is lost, the outbox sweep re-queues it.
    // Re-sent in the message's own trace, linked to the retry request.
    await inSpan('message.redrive', { messageId, ...messageTrace(redriven.traceContext) }, () =>
      this.queues.addMany(redriven.type, [{ ...redriven.job, trace: traceCarrier() }]),
    ).catch(logBackgroundFailure(this.logger, 'send-enqueue', { messageId }));
    void this.events
      .emit([{ projectId, messageId, type: 'message.queued', at: new Date().toISOString() }])
      .catch(logBackgroundFailure(this.logger, 'status-event', { messageId }));
    return this.repository.get(projectId, messageId);
  }

  async recordAttempts(outcomes: AttemptOutcome[]): Promise<{ applied: number }> {
    const applied = await this.repository.applyOutcomes(outcomes);
    // A provider receipt can beat the send's own reply here; it waited as pending until now.
    const sent = new Set(outcomes.filter((o) => o.result === 'sent').map((o) => o.messageId));
    const withIds = applied.filter((m) => sent.has(m.id) && m.externalId) as Array<{ connectorId: string; externalId: string }>;
    await this.receipts.applyPendingFor(withIds);
    const moved = new Map(applied.filter((m) => m.status === 'sent' || m.status === 'failed').map((m) => [m.id, m]));
    const events = outcomes
      .filter((o) => o.result !== 'retrying' && moved.get(o.messageId)?.status === (o.result === 'sent' ? 'sent' : 'failed'))
      .map((o) => ({
        projectId: o.projectId,
        messageId: o.messageId,
        type: o.result === 'sent' ? ('message.sent' as const) : ('message.failed' as const),
        at: o.finishedAt,
        trace: o.trace,
      }));
    await this.events
      .emit(events)
      .catch(logBackgroundFailure(this.logger, 'status-event', { messageIds: events.map((e) => e.messageId) }, events.length));
    return { applied: applied.length };
  }
}
