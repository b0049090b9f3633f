import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConnectorType } from '@app/contracts';
import { ProjectEntity } from './project.entity';

/** Messages that failed, by error code, per project, connector and UTC hour: the analytics' top errors. */
@Entity('message_errors_hourly')
export class MessageErrorsHourlyEntity {
  @PrimaryColumn({ name: 'project_id', type: 'uuid' }) projectId: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  @PrimaryColumn({ name: 'connector_id', type: 'uuid' }) connectorId: string;
  /** The provider's (or our) code, at most 64 characters. */
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ name: 'connector_type', type: 'text' }) connectorType: ConnectorType;
  @Column({ type: 'int', default: 0 }) count: number;
  @Column({ name: 'last_at', type: 'timestamptz' }) lastAt: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: ProjectEntity;
}
