import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MessageStatus } from '@app/contracts';

/**
 * A provider receipt that arrived before the send's own reply was stored (so no message has its
 * external id yet). It is applied once the send is recorded; one that never matches expires.
 */
@Entity('pending_receipts')
@Index('pending_receipts_lookup', ['connectorId', 'externalId'])
@Index('pending_receipts_created', ['createdAt'])
export class PendingReceiptEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'connector_id', type: 'uuid' }) connectorId: string;
  @Column({ name: 'external_id', type: 'text' }) externalId: string;
  @Column({ type: 'text' }) status: MessageStatus;
  /** When the provider saw the change (or, when it does not say, when the receipt arrived). */
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ name: 'error_code', type: 'text', nullable: true }) errorCode: string | null;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
