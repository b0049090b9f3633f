import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConnectorType, UUID_PATTERN } from '@app/contracts';
import { ConnectorEntity } from '../entities/connector.entity';
import { insertWithinQuota } from './quota';

export interface ConnectorRef {
  id: string;
  type: ConnectorType;
}

export type NewConnector = Pick<ConnectorEntity, 'type' | 'name' | 'config' | 'credentialsSealed' | 'keyVersion'>;
export type ConnectorChanges = Partial<Pick<ConnectorEntity, 'name' | 'config' | 'credentialsSealed' | 'keyVersion'>>;

/** A connector's credentials sealed anew: what `moveVerifyToken` writes back. */
export interface Resealed {
  credentialsSealed: string;
  keyVersion: number;
}

/**
 * Connectors: management writes them, the other apps read them to send. Every query names the
 * project, but for provider callbacks (findForCallback) and the start-up move of old rows.
 */
@Injectable()
export class ConnectorRepository {
  private readonly connectors: Repository<ConnectorEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.connectors = dataSource.getRepository(ConnectorEntity);
  }

  find(projectId: string, id: string): Promise<ConnectorEntity | null> {
    return UUID_PATTERN.test(id) ? this.connectors.findOneBy({ projectId, id }) : Promise.resolve(null);
  }

  /**
   * For provider callbacks, which name only the connector: its row says which project it is. The one
   * read without a project id; the caller checks the provider's signature with this connector's secret.
   */
  findForCallback(id: string): Promise<ConnectorEntity | null> {
    return UUID_PATTERN.test(id) ? this.connectors.findOneBy({ id }) : Promise.resolve(null);
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

  /** Newest first. */
  listInProject(projectId: string): Promise<ConnectorEntity[]> {
    return this.connectors.find({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** At most `limit` connectors per project, however many creates race (409 quota_exceeded past it). */
  create(projectId: string, connector: NewConnector, limit: number): Promise<ConnectorEntity> {
    return insertWithinQuota(this.dataSource, ConnectorEntity, { name: 'connectorsPerProject', limit, owner: { projectId } }, connector);
  }

  /** The connector as it is after the change (null if it is gone meanwhile). */
  async update(projectId: string, id: string, changes: ConnectorChanges): Promise<ConnectorEntity | null> {
    // config is jsonb, written whole: TypeORM's type reads Record<string, unknown> as columns to patch.
    await this.connectors.update({ projectId, id }, changes as QueryDeepPartialEntity<ConnectorEntity>);
    return this.find(projectId, id);
  }

  async delete(projectId: string, id: string): Promise<void> {
    await this.connectors.delete({ projectId, id });
  }

  /**
   * Moves one WhatsApp connector's `verifyToken` out of its (readable) config into its sealed
   * credentials, in a short transaction under a row lock that replicas starting together skip past.
   * `reseal` gets the sealed credentials and the token, and returns them sealed with it. The id of
   * the connector moved, or null when none is left. Rows of every project: a one-off data move.
   */
  moveVerifyToken(reseal: (credentialsSealed: string, token: unknown) => Resealed): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; token: unknown; credentials_sealed: string }> = await manager.query(
        `SELECT id, config->'verifyToken' AS token, credentials_sealed FROM connectors
          WHERE type = 'whatsapp' AND config ? 'verifyToken' LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return null;
      const [row] = rows;
      const { credentialsSealed, keyVersion } = reseal(row.credentials_sealed, row.token);
      await manager.query(
        `UPDATE connectors SET config = config - 'verifyToken', credentials_sealed = $2, key_version = $3, updated_at = now() WHERE id = $1`,
        [row.id, credentialsSealed, keyVersion],
      );
      return row.id;
    });
  }
}
