import type { MessageEvent, MessageStatus, MessageView } from '@app/contracts';
import type { MessageEntity } from './entities/message.entity';

/** A `messages` row as raw SQL returns it: the columns of MESSAGE_VIEW_COLUMNS (+ events when selected). */
export interface MessageViewRow {
  id: string;
  project_id: string;
  connector_id: string;
  connector_type: MessageEntity['connectorType'];
  to: string;
  status: MessageStatus;
  external_id: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  metadata: Record<string, string> | null;
  events?: MessageEvent[];
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
}

/** The columns the public message object is built from (the dispatcher's API and the webhooks' payloads). */
export const MESSAGE_VIEW_COLUMNS = `id, project_id, connector_id, connector_type, "to", status, external_id, error_code, error_message,
  attempts, metadata, created_at, updated_at, sent_at, delivered_at`;

/** The public message object of API.md, from a row. */
export function toMessageView(r: MessageViewRow): MessageView {
  return {
    id: r.id,
    projectId: r.project_id,
    connector: { id: r.connector_id, type: r.connector_type },
    to: r.to,
    status: r.status,
    externalId: r.external_id,
    error: r.error_code || r.error_message ? { code: r.error_code ?? 'unknown', message: r.error_message ?? '' } : null,
    attempts: r.attempts,
    metadata: r.metadata ?? {},
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  };
}
