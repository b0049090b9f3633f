import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AcceptedMessage,
  AttemptOutcome,
  DomainError,
  ErrorCode,
  FieldError,
  ListMessagesQuery,
  MAX_TEXT_LENGTH,
  MessagePage,
  MessageWithEvents,
  SendMessageCommand,
} from '@app/contracts';
import { recipientProblem } from '@app/connectors';
import { AcceptBatcher } from './accept-batcher';
import { ConnectorDirectory } from './connector-directory';
import { MessageRepository } from './message.repository';

@Injectable()
export class MessagesService {
  constructor(
    private readonly directory: ConnectorDirectory,
    private readonly batcher: AcceptBatcher,
    private readonly repository: MessageRepository,
  ) {}

  /** Resolves the connector, checks what only the channel can judge, then persists (durably) and routes. */
  async accept(cmd: SendMessageCommand): Promise<AcceptedMessage> {
    const connector = await this.directory.resolve(cmd.projectId, cmd.connector);
    const text = cmd.message ?? '';
    const errors: FieldError[] = [];
    const recipient = recipientProblem(connector.type, cmd.to);
    if (recipient) errors.push({ field: 'to', message: recipient });
    if (text.length > MAX_TEXT_LENGTH[connector.type]) {
      errors.push({ field: 'message', message: `must be at most ${MAX_TEXT_LENGTH[connector.type]} characters for ${connector.type} (got ${text.length})` });
    }
    if (cmd.subject !== undefined && connector.type !== 'smtp') {
      errors.push({ field: 'subject', message: 'is only for smtp connectors' });
    }
    if (errors.length) throw new DomainError(ErrorCode.ValidationFailed, `${errors[0].field} ${errors[0].message}`, errors);

    const createdAt = new Date();
    const id = randomUUID();
    await this.batcher.submit({
      id,
      projectId: cmd.projectId,
      connectorId: connector.id,
      connectorType: connector.type,
      to: cmd.to,
      body: text,
      subject: cmd.subject ?? null,
      metadata: cmd.metadata ?? null,
      createdAt,
    });
    return { id, status: 'queued', connector, to: cmd.to, createdAt: createdAt.toISOString() };
  }

  list(query: ListMessagesQuery): Promise<MessagePage> {
    return this.repository.list(query);
  }

  get(projectId: string, messageId: string): Promise<MessageWithEvents> {
    return this.repository.get(projectId, messageId);
  }

  async recordAttempts(outcomes: AttemptOutcome[]): Promise<{ applied: number }> {
    const applied = await this.repository.applyOutcomes(outcomes);
    return { applied: applied.length };
  }
}
