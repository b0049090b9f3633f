import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeChannel, ConnectorType, DomainError, isConnectorType } from '@app/contracts';
import { ConnectorEntity } from '@app/database';
import { ChangeFeed } from '@app/transport';

export interface ConnectorRef {
  id: string;
  type: ConnectorType;
}

const TTL_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each project's connectors (id and type only), cached for the accept path; any change clears it. */
@Injectable()
export class ConnectorDirectory implements OnModuleInit {
  private readonly cache = new Map<string, { at: number; refs: Promise<ConnectorRef[]> }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    const clear = () => this.cache.clear();
    await this.changes.subscribe(ChangeChannel.ConnectorChanged, clear, clear);
  }

  /** `connector` is an id, or a type when the project has exactly one connector of that type. */
  async resolve(projectId: string, connector: string): Promise<ConnectorRef> {
    const refs = await this.list(projectId);
    if (isConnectorType(connector)) {
      const ofType = refs.filter((r) => r.type === connector);
      if (ofType.length === 1) return ofType[0];
      throw DomainError.validation(
        'connector',
        ofType.length === 0
          ? `names the type ${connector}, but the project has no ${connector} connector`
          : `names the type ${connector}, but the project has ${ofType.length}; pass a connector id`,
      );
    }
    const byId = UUID.test(connector) ? refs.find((r) => r.id === connector.toLowerCase()) : undefined;
    if (!byId) throw DomainError.validation('connector', "must be the id of one of the project's connectors, or a connector type");
    return byId;
  }

  private list(projectId: string): Promise<ConnectorRef[]> {
    const hit = this.cache.get(projectId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.refs;
    const refs = this.dataSource
      .getRepository(ConnectorEntity)
      .find({ select: { id: true, type: true }, where: { projectId } })
      .then((rows) => rows.map((r) => ({ id: r.id, type: r.type })));
    refs.catch(() => this.cache.delete(projectId));
    this.cache.set(projectId, { at: Date.now(), refs });
    return refs;
  }
}
