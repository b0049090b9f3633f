import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) type: 'secret' | 'public';
  /** `mjs_sk_` + the first 12 random characters: shown in lists and used to find the row. */
  @Column({ type: 'text', unique: true }) prefix: string;
  /** bcrypt of the whole key; the key itself is never stored. */
  @Column({ name: 'key_hash', type: 'text' }) keyHash: string;
  @Column({ name: 'allowed_origins', type: 'text', array: true, nullable: true }) allowedOrigins: string[] | null;
  /** Public keys only: accepted messages per UTC day. */
  @Column({ name: 'daily_limit', type: 'integer', nullable: true }) dailyLimit: number | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
