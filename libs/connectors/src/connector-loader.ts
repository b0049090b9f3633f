import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeChannel, DomainError } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { ConnectorEntity } from '@app/database';
import { ChangeFeed } from '@app/transport';
import { Connector } from './connector.interface';
import { ConnectorRegistry } from './connector.registry';

interface Cached {
  entity: ConnectorEntity;
  connector: Connector;
  /** The decrypted credentials, behind a function so that logging an entry never prints them. */
  credentials: () => Readonly<Record<string, unknown>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Builds live connectors from stored rows (decrypting credentials once) and keeps them, so SMTP pools
 * and keep-alive sockets are reused; an edit or delete anywhere drops the cached one at once.
 */
@Injectable()
export class ConnectorLoader implements OnModuleInit {
  private readonly cache = new Map<string, Cached>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectorRegistry,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(
      ChangeChannel.ConnectorChanged,
      (id) => void this.evict(id),
      () => [...this.cache.keys()].forEach((id) => void this.evict(id)),
    );
  }

  async load(projectId: string, connectorId: string): Promise<Cached> {
    const hit = this.cache.get(connectorId);
    if (hit && hit.entity.projectId === projectId) return hit;
    const entity = await this.dataSource.getRepository(ConnectorEntity).findOneBy({ id: connectorId, projectId });
    if (!entity) throw DomainError.notFound('connector');
    return this.build(entity);
  }

  /** For provider callbacks, which name only the connector; its project is whatever the row says. */
  async loadById(connectorId: string): Promise<Cached> {
    const hit = this.cache.get(connectorId);
    if (hit) return hit;
    const entity = UUID.test(connectorId) ? await this.dataSource.getRepository(ConnectorEntity).findOneBy({ id: connectorId }) : null;
    if (!entity) throw DomainError.notFound('connector');
    return this.build(entity);
  }

  private build(entity: ConnectorEntity): Cached {
    const credentials = JSON.parse(this.box.open(entity.credentialsSealed)) as Record<string, unknown>;
    const entry: Cached = {
      entity,
      connector: this.registry.create(entity.type, credentials, entity.config, {
        connectorId: entity.id,
        publicUrl: this.config.publicUrl,
        outbound: { allowPrivate: this.config.connectorAllowPrivate, allowedHosts: this.config.connectorAllowedHosts },
      }),
      credentials: () => credentials,
    };
    this.cache.set(entity.id, entry);
    return entry;
  }

  async evict(connectorId: string): Promise<void> {
    const entry = this.cache.get(connectorId);
    this.cache.delete(connectorId);
    // Best effort: the evicted connector is dropped either way, and its sockets with it.
    await entry?.connector.close?.().catch(() => undefined);
  }
}
