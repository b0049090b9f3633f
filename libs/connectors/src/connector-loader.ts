import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeChannel, DomainError } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { ConnectorEntity, ConnectorRepository } from '@app/database';
import { BoundedCache, ChangeFeed } from '@app/transport';
import { Connector } from './connector.interface';
import { ConnectorRegistry } from './connector.registry';

interface Cached {
  entity: ConnectorEntity;
  connector: Connector;
  /** The decrypted credentials, behind a function so that logging an entry never prints them. */
  credentials: () => Readonly<Record<string, unknown>>;
}

const MAX_CACHED = 10_000;
const CACHE_TTL_MS = 60 * 60_000;

const closing = new WeakMap<Cached, Promise<void>>();

/** Best effort: a dropped connector is gone either way, and its sockets with it. */
function closeConnector(entry: Cached): Promise<void> {
  const closed = (entry.connector.close?.() ?? Promise.resolve()).catch(() => undefined);
  closing.set(entry, closed);
  return closed;
}

/**
 * Builds live connectors from stored rows (decrypting credentials once) and keeps them, so SMTP pools
 * and keep-alive sockets are reused; an edit or delete anywhere drops the cached one at once.
 */
@Injectable()
export class ConnectorLoader implements OnModuleInit {
  /** Bounded: the least recently used connector goes past MAX_CACHED, and each is rebuilt hourly; either way its sockets close. */
  private readonly cache = new BoundedCache<Cached>({
    max: MAX_CACHED,
    ttlMs: CACHE_TTL_MS,
    onRemove: (entry) => void closeConnector(entry),
  });

  constructor(
    private readonly connectors: ConnectorRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectorRegistry,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(
      ChangeChannel.ConnectorChanged,
      (id) => void this.evict(id),
      () => this.cache.clear(),
    );
  }

  async load(projectId: string, connectorId: string): Promise<Cached> {
    const hit = this.cache.get(connectorId);
    if (hit && hit.entity.projectId === projectId) return hit;
    const entity = await this.connectors.find(projectId, connectorId);
    if (!entity) throw DomainError.notFound('connector');
    return this.build(entity);
  }

  /** For provider callbacks, which name only the connector; its project is whatever the row says. */
  async loadById(connectorId: string): Promise<Cached> {
    const hit = this.cache.get(connectorId);
    if (hit) return hit;
    const entity = await this.connectors.findForCallback(connectorId);
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
    if (!entry) return;
    this.cache.delete(connectorId); // closes it (onRemove)
    await closing.get(entry);
  }
}
