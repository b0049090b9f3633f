import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { WebhookDeliveryEventType, WebhookDeliveryStatus } from '@app/contracts';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * One attempt to deliver one event to one endpoint (one row per attempt, so the log lists each).
 * Attempt 1 is written `pending` when the event is fanned out (or a test or replay is asked for); a
 * re-run of the same attempt (after a crash) overwrites its row instead of adding one, which the
 * unique (endpoint, webhook id, replay, attempt) ensures.
 */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_endpoint_page', ['endpointId', 'createdAt', 'id'])
// The retention sweep deletes by age alone.
@Index('webhook_deliveries_created', ['createdAt'])
@Unique('webhook_deliveries_attempt', ['endpointId', 'webhookId', 'replay', 'attempt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  /** Null for the test event. */
  @Column({ name: 'message_id', type: 'uuid', nullable: true }) messageId: string | null;
  @Column({ name: 'event_type', type: 'text' }) eventType: WebhookDeliveryEventType;
  /** The `webhook-id` header (`msg_…`), the same on every attempt so receivers can deduplicate. */
  @Column({ name: 'webhook_id', type: 'text' }) webhookId: string;
  /** The body this attempt sent. */
  @Column({ type: 'jsonb' }) payload: unknown;
  /** 0 for the event's first delivery to the endpoint; n for its nth replay (each replay has attempts of its own). */
  @Column({ type: 'int', default: 0 }) replay: number;
  @Column({ type: 'int' }) attempt: number;
  @Column({ type: 'text' }) status: WebhookDeliveryStatus;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs: number | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  /** When the attempt was made (while pending: when the event was queued for the endpoint). */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;
}
