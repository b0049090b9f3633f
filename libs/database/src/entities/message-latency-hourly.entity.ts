import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConnectorType } from '@app/contracts';
import { ProjectEntity } from './project.entity';

/** A histogram of accepted → sent latency per project, connector and UTC hour (fixed buckets: see the dispatcher's latency-histogram). */
@Entity('message_latency_hourly')
export class MessageLatencyHourlyEntity {
  @PrimaryColumn({ name: 'project_id', type: 'uuid' }) projectId: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  @PrimaryColumn({ name: 'connector_id', type: 'uuid' }) connectorId: string;
  /** width_bucket's number: 0 below the first bound, n past the last. */
  @PrimaryColumn({ type: 'smallint' }) bucket: number;
  @Column({ name: 'connector_type', type: 'text' }) connectorType: ConnectorType;
  @Column({ type: 'int', default: 0 }) count: number;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
