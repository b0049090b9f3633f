import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConnectorType } from '@app/contracts';
import { ProjectEntity } from './project.entity';

@Entity('connectors')
export class ConnectorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'text' }) type: ConnectorType;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'jsonb' }) config: Record<string, unknown>;
  /** AES-256-GCM sealed JSON of the credentials (SecretBox); never leaves the server. */
  @Column({ name: 'credentials_sealed', type: 'text' }) credentialsSealed: string;
  @Column({ name: 'key_version', type: 'int' }) keyVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
