import { Inject, Injectable } from '@nestjs/common';
import { ChangeChannel, ConnectorType, ConnectorView, DomainError, ErrorCode, FieldError } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { callbackUrlFor, ConnectorLoader, ConnectorRegistry, ProviderError, validateSettings } from '@app/connectors';
import { SecretBox } from '@app/crypto';
import { ConnectorChanges, ConnectorEntity, ConnectorRepository } from '@app/database';
import { ChangeFeed, OutboundAddressRefused, OutboundPolicy, resolveUnder, skipsAddressCheck } from '@app/transport';
import { ProjectsService } from '../projects/projects.service';

/** A verifyToken left in an old row's config is a credential: never shown. */
function withoutSecrets(config: Record<string, unknown>): Record<string, unknown> {
  const { verifyToken: _hidden, ...shown } = config;
  return shown;
}

function toView(c: ConnectorEntity, publicUrl: string | undefined): ConnectorView {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    config: withoutSecrets(c.config),
    callbackUrl: callbackUrlFor(c.type, c.id, publicUrl),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

@Injectable()
export class ConnectorsService {
  private readonly outbound: OutboundPolicy;

  constructor(
    private readonly connectors: ConnectorRepository,
    private readonly projects: ProjectsService,
    private readonly registry: ConnectorRegistry,
    private readonly box: SecretBox,
    private readonly loader: ConnectorLoader,
    private readonly changes: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.outbound = { allowPrivate: config.connectorAllowPrivate, allowedHosts: config.connectorAllowedHosts };
  }

  async create(
    userId: string,
    projectId: string,
    input: { type: ConnectorType; name: string; credentials: Record<string, unknown>; config?: Record<string, unknown> },
  ): Promise<ConnectorView> {
    await this.projects.requireOwned(userId, projectId);
    const config = input.config ?? {};
    this.check(input.type, input.credentials, config);
    await this.checkOutbound(input.type, input.credentials, config);
    const credentialsSealed = this.box.seal(JSON.stringify(input.credentials));
    const row = await this.connectors.create(
      projectId,
      { type: input.type, name: input.name, config, credentialsSealed, keyVersion: SecretBox.versionOf(credentialsSealed) },
      this.config.quotas.connectorsPerProject,
    );
    // The dispatcher caches each project's connectors: a new one must be visible to the next send.
    await this.changes.publish(ChangeChannel.ConnectorChanged, row.id);
    return this.view(row);
  }

  async list(userId: string, projectId: string): Promise<{ data: ConnectorView[] }> {
    await this.projects.requireOwned(userId, projectId);
    return { data: (await this.connectors.listInProject(projectId)).map((row) => this.view(row)) };
  }

  async get(userId: string, projectId: string, connectorId: string): Promise<ConnectorView> {
    return this.view(await this.requireConnector(userId, projectId, connectorId));
  }

  /** Credentials are replaced whole (they are write-only, so there is nothing to merge with). */
  async update(
    userId: string,
    projectId: string,
    connectorId: string,
    patch: { name?: string; credentials?: Record<string, unknown>; config?: Record<string, unknown> },
  ): Promise<ConnectorView> {
    const row = await this.requireConnector(userId, projectId, connectorId);
    const config = patch.config ?? row.config;
    const credentials = patch.credentials ?? (JSON.parse(this.box.open(row.credentialsSealed)) as Record<string, unknown>);
    this.check(row.type, credentials, config);
    await this.checkOutbound(row.type, credentials, config);
    const changes: ConnectorChanges = { config };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.credentials) {
      changes.credentialsSealed = this.box.seal(JSON.stringify(patch.credentials));
      changes.keyVersion = SecretBox.versionOf(changes.credentialsSealed);
    }
    const saved = await this.connectors.update(projectId, row.id, changes);
    await this.changes.publish(ChangeChannel.ConnectorChanged, row.id);
    if (!saved) throw DomainError.notFound('connector');
    return this.view(saved);
  }

  async delete(userId: string, projectId: string, connectorId: string): Promise<{ deleted: true }> {
    const row = await this.requireConnector(userId, projectId, connectorId);
    await this.connectors.delete(projectId, row.id);
    await this.changes.publish(ChangeChannel.ConnectorChanged, row.id);
    return { deleted: true };
  }

  /** Calls the provider (Telegram getMe, …); a refusal is 422 with the provider's own reason. */
  async verify(userId: string, projectId: string, connectorId: string): Promise<{ ok: true; identity?: string }> {
    const row = await this.requireConnector(userId, projectId, connectorId);
    await this.loader.evict(row.id);
    const { connector } = await this.loader.load(projectId, row.id);
    try {
      return await connector.validate();
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'outbound_address_refused') {
        throw new DomainError(ErrorCode.OutboundAddressRefused, err.message);
      }
      if (err instanceof ProviderError) {
        throw new DomainError(ErrorCode.ProviderRejected, `the provider refused the credentials: ${err.message}`, [
          { field: 'credentials', message: `${err.code}: ${err.message}` },
        ]);
      }
      throw err;
    }
  }

  private view(row: ConnectorEntity): ConnectorView {
    return toView(row, this.config.publicUrl);
  }

  private requireConnector(userId: string, projectId: string, connectorId: string): Promise<ConnectorEntity> {
    return this.projects.requireInOwned(userId, projectId, 'connector', (inProject) => this.connectors.find(inProject, connectorId));
  }

  /**
   * The outbound guard at save: a base URL or SMTP host must reach a public address (unless the
   * operator allows it). The connector checks again at every connect, so later DNS changes are caught too.
   */
  private async checkOutbound(type: ConnectorType, credentials: Record<string, unknown>, config: Record<string, unknown>): Promise<void> {
    const targets: Array<{ field: string; host: string; port: number }> = [];
    if (typeof config.baseUrl === 'string') {
      const url = new URL(config.baseUrl);
      targets.push({
        field: 'config.baseUrl',
        host: url.hostname,
        port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      });
    }
    if (type === 'smtp' && typeof credentials.host === 'string' && typeof credentials.port === 'number') {
      targets.push({ field: 'credentials.host', host: credentials.host, port: credentials.port });
    }
    for (const { field, host, port } of targets) {
      if (skipsAddressCheck(host, port, this.outbound)) continue;
      try {
        await resolveUnder(host, port, this.outbound);
      } catch (err) {
        if (err instanceof OutboundAddressRefused) {
          throw new DomainError(ErrorCode.OutboundAddressRefused, `${field} must reach a public address: ${err.message}`, [
            { field, message: `must reach a public address: ${err.message}` },
          ]);
        }
        const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
        throw DomainError.validation(field, `has a host that does not resolve (${code})`);
      }
    }
  }

  private check(type: ConnectorType, credentials: unknown, config: unknown): void {
    const errors: FieldError[] = [
      ...validateSettings(this.registry.credentialsClass(type), credentials, 'credentials'),
      ...validateSettings(this.registry.configClass(type), config, 'config'),
    ];
    if (errors.length) throw new DomainError(ErrorCode.ValidationFailed, `${errors[0].field} ${errors[0].message}`, errors);
  }
}
