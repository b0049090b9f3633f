import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { ConnectorType, WhatsAppTemplateRef } from '@app/contracts';
import { ProjectEntity } from './project.entity';

/** A project's message template; the unique (project, name) pair also serves lookups by project. */
@Entity('templates')
@Unique('templates_project_name', ['projectId', 'name'])
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) content: string;
  /** The only connector type the template is meant for; null means any. */
  @Column({ type: 'text', nullable: true }) channel: ConnectorType | null;
  /** Parsed from `content` on every write, in order of first appearance. */
  @Column({ type: 'text', array: true }) variables: string[];
  @Column({ type: 'jsonb', nullable: true }) whatsapp: WhatsAppTemplateRef | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
