import { Check, Column, JoinColumn, ManyToOne, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConnectorType, MessageEvent, MessageStatus, WhatsAppTemplateSend } from '@app/contracts';
import { ProjectEntity } from './project.entity';

@Entity('messages')
@Index('messages_project_page', ['projectId', 'createdAt', 'id'])
// The outbox sweep looks only at unfinished messages; a partial index keeps that scan tiny.
@Index('messages_unfinished', ['updatedAt'], { where: `"status" IN ('queued', 'sending')` })
// The status reconciler looks only at messages waiting in `sent` for a receipt.
@Index('messages_awaiting_receipt', ['sentAt'], { where: `"status" = 'sent'` })
// Provider receipts name a message by the connector and the provider's own id.
@Index('messages_receipt_lookup', ['connectorId', 'externalId'])
// An Idempotency-Key makes at most one message per project, even when the gateway lost the first answer.
@Index('messages_idempotency', ['projectId', 'idempotencyKey'], { unique: true, where: `"idempotency_key" IS NOT NULL` })
// A traceparent (55), a space and a tracestate cut at 512: bounded whatever writes the row.
@Check('messages_trace_context_length', `length("trace_context") <= 568`)
export class MessageEntity {
  /** Chosen by the dispatcher before the insert, so the queue job id can be the message id. */
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ name: 'connector_id', type: 'uuid' }) connectorId: string;
  @Column({ name: 'connector_type', type: 'text' }) connectorType: ConnectorType;
  @Column({ type: 'text' }) to: string;
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'text', nullable: true }) subject: string | null;
  @Column({ type: 'jsonb', nullable: true }) metadata: Record<string, string> | null;
  /** For WhatsApp template sends: the approved template and its parameters, rendered at accept time. */
  @Column({ name: 'whatsapp_template', type: 'jsonb', nullable: true }) whatsappTemplate: WhatsAppTemplateSend | null;
  @Column({ type: 'text' }) status: MessageStatus;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId: string | null;
  @Column({ name: 'error_code', type: 'text', nullable: true }) errorCode: string | null;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage: string | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** Times a failed message was sent again on request (POST /messages/:id/retry). */
  @Column({ type: 'int', default: 0 }) redrives: number;
  /** The status history, oldest first, appended to atomically with each move. */
  @Column({ type: 'jsonb' }) events: MessageEvent[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** When it first failed; kept through a re-drive, so a message counts as failed once in the analytics. */
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true }) failedAt: Date | null;
  /** SHA-256 of the request's Idempotency-Key, and of the request it came with (to refuse another body). */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey: string | null;
  @Column({ name: 'request_fingerprint', type: 'text', nullable: true }) requestFingerprint: string | null;
  /** Set once the connector queue has the job; the outbox sweep re-queues rows where it is missing. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true }) enqueuedAt: Date | null;
  /** When the status reconciler last asked the provider about this `sent` message (no PUBLIC_URL, no receipts). */
  @Column({ name: 'status_checked_at', type: 'timestamptz', nullable: true }) statusCheckedAt: Date | null;
  /** The W3C trace context it was accepted in (`traceparent[ tracestate]`): its later work continues that trace. */
  @Column({ name: 'trace_context', type: 'text', nullable: true }) traceContext: string | null;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
