import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConnectorType } from '@app/contracts';
import { ProjectEntity } from './project.entity';

/**
 * How many messages reached each status, per project, connector and UTC hour: the analytics series
 * and totals are sums of these rows, never scans of messages. Each message counts once per status it
 * reaches, in the hour it reached it; the rows are kept by the statements that move statuses.
 */
@Entity('message_stats_hourly')
export class MessageStatsHourlyEntity {
  @PrimaryColumn({ name: 'project_id', type: 'uuid' }) projectId: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  /** No foreign key: a deleted connector's messages still count. */
  @PrimaryColumn({ name: 'connector_id', type: 'uuid' }) connectorId: string;
  @Column({ name: 'connector_type', type: 'text' }) connectorType: ConnectorType;
  @Column({ type: 'int', default: 0 }) queued: number;
  @Column({ type: 'int', default: 0 }) sent: number;
  @Column({ type: 'int', default: 0 }) delivered: number;
  @Column({ type: 'int', default: 0 }) read: number;
  @Column({ type: 'int', default: 0 }) failed: number;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
