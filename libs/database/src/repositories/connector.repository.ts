import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { ConnectorType } from '@app/contracts';
import { ConnectorEntity } from '../entities/connector.entity';

export interface ConnectorRef {
  id: string;
  type: ConnectorType;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads of connectors for the apps that send through them (management owns their writes). */
@Injectable()
export class ConnectorRepository {
  private readonly connectors: Repository<ConnectorEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.connectors = dataSource.getRepository(ConnectorEntity);
  }

  find(projectId: string, id: string): Promise<ConnectorEntity | null> {
    return UUID.test(id) ? this.connectors.findOneBy({ projectId, id }) : Promise.resolve(null);
  }

  /**
   * For provider callbacks, which name only the connector: its row says which project it is. The one
   * read without a project id; the caller checks the provider's signature with this connector's secret.
   */
  findForCallback(id: string): Promise<ConnectorEntity | null> {
    return UUID.test(id) ? this.connectors.findOneBy({ id }) : Promise.resolve(null);
  }

  /** Id and type of each of the project's connectors (the accept path resolves `connector` against them). */
  async refsOf(projectId: string): Promise<ConnectorRef[]> {
    const rows = await this.connectors.find({ select: { id: true, type: true }, where: { projectId } });
    return rows.map((r) => ({ id: r.id, type: r.type }));
  }

  /** Id, type and name of each, oldest first (analytics lists connectors without traffic too). */
  async namedRefsOf(projectId: string): Promise<Array<ConnectorRef & { name: string }>> {
    const rows = await this.connectors.find({
      select: { id: true, type: true, name: true },
      where: { projectId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((r) => ({ id: r.id, type: r.type, name: r.name }));
  }
}
