import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AcceptedMessage,
  AttemptOutcome,
  ListMessagesQuery,
  MessagePage,
  MessageWithEvents,
  SendMessageCommand,
} from '@app/contracts';
import { AcceptBatcher } from './accept-batcher';
import { ConnectorDirectory } from './connector-directory';
import { ReceiptsService } from '../receipts/receipts.service';
import { MessageComposer } from './message-composer';
import { MessageRepository } from './message.repository';

@Injectable()
export class MessagesService {
  constructor(
    private readonly directory: ConnectorDirectory,
    private readonly batcher: AcceptBatcher,
    private readonly repository: MessageRepository,
    private readonly composer: MessageComposer,
    private readonly receipts: ReceiptsService,
  ) {}

  /** Resolves the connector, checks what only the channel can judge, then persists (durably) and routes. */
  async accept(cmd: SendMessageCommand): Promise<AcceptedMessage> {
    const connector = await this.directory.resolve(cmd.projectId, cmd.connector);
    const composed = await this.composer.compose(cmd, connector);
    const createdAt = new Date();
    const id = randomUUID();
    await this.batcher.submit({
      id,
      projectId: cmd.projectId,
      connectorId: connector.id,
      connectorType: connector.type,
      to: cmd.to,
      body: composed.body,
      subject: composed.subject,
      whatsappTemplate: composed.whatsappTemplate,
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
    // A provider receipt can beat the send's own reply here; it waited as pending until now.
    const sent = new Set(outcomes.filter((o) => o.result === 'sent').map((o) => o.messageId));
    const withIds = applied.filter((m) => sent.has(m.id) && m.externalId) as Array<{ connectorId: string; externalId: string }>;
    await this.receipts.applyPendingFor(withIds);
    return { applied: applied.length };
  }
}
