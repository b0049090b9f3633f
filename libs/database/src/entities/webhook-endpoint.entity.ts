import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WebhookEventType } from '@app/contracts';
import { ProjectEntity } from './project.entity';

/** A customer URL that receives a project's status events as Standard Webhooks. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('webhook_endpoints_project') @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'text' }) url: string;
  @Column({ type: 'text', array: true }) events: WebhookEventType[];
  /** The `whsec_` signing secret, AES-256-GCM sealed (SecretBox): shown once, kept readable because we sign with it. */
  @Column({ name: 'secret_sealed', type: 'text' }) secretSealed: string;
  /** The secret a rotation replaced, sealed: deliveries are signed with it too until it expires (24 h after the rotation). */
  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true }) previousSecretSealed: string | null;
  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true }) previousSecretExpiresAt: Date | null;
  /** Set when the endpoint answered 410 Gone, or its owner disabled it; nothing is delivered while set. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  @Column({ name: 'disabled_reason', type: 'text', nullable: true }) disabledReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
