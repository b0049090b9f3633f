import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MessageStatus, MessageView } from '@app/contracts';
import { MESSAGE_VIEW_COLUMNS, MessageViewRow, toMessageView } from '../message-view';

/**
 * What other apps read of a message (the dispatcher owns the table and its writes, in its own
 * MessageRepository): the worker asks whether a job still has anything to send, the webhooks app
 * what to put in a webhook. Every read names the project.
 */
@Injectable()
export class MessageReadRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async status(projectId: string, messageId: string): Promise<MessageStatus | null> {
    const rows: Array<{ status: MessageStatus }> = await this.dataSource.query(
      `SELECT status FROM messages WHERE project_id = $1 AND id = $2`,
      [projectId, messageId],
    );
    return rows[0]?.status ?? null;
  }

  /** The public message object of API.md, as the message is now. */
  async view(projectId: string, messageId: string): Promise<MessageView | null> {
    const rows: MessageViewRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_VIEW_COLUMNS} FROM messages WHERE project_id = $1 AND id = $2`,
      [projectId, messageId],
    );
    return rows.length ? toMessageView(rows[0]) : null;
  }
}
