import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, Or, Repository } from 'typeorm';
import { ApiKeyView, ChangeChannel, DomainError, VerifiedApiKey } from '@app/contracts';
import { API_KEY_PATTERN, apiKeyPrefix, generateApiKey, hashSecret, verifySecret } from '@app/crypto';
import { ApiKeyEntity } from '@app/database';
import { ChangeFeed } from '@app/transport';
import { ProjectsService } from '../projects/projects.service';

function toView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    type: k.type,
    prefix: k.prefix,
    allowedOrigins: k.allowedOrigins,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly changes: ChangeFeed,
  ) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /** The key is returned this once; only its bcrypt hash is kept. */
  async create(
    userId: string,
    projectId: string,
    input: { name: string; type: 'secret' | 'public'; allowedOrigins?: string[] },
  ): Promise<ApiKeyView & { key: string }> {
    await this.projects.requireOwned(userId, projectId);
    const { key, prefix } = generateApiKey(input.type);
    const row = await this.keys.save(
      this.keys.create({
        projectId,
        name: input.name,
        type: input.type,
        prefix,
        keyHash: await hashSecret(key),
        allowedOrigins: input.type === 'public' ? (input.allowedOrigins ?? []) : null,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { ...toView(row), key };
  }

  async list(userId: string, projectId: string): Promise<{ data: ApiKeyView[] }> {
    await this.projects.requireOwned(userId, projectId);
    const rows = await this.keys.find({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
    return { data: rows.map(toView) };
  }

  /** Revocation is published at once so every gateway drops its cached verification. */
  async revoke(userId: string, projectId: string, keyId: string): Promise<{ revoked: true }> {
    await this.projects.requireOwned(userId, projectId);
    const key = await this.keys.findOneBy({ id: keyId, projectId });
    if (!key) throw DomainError.notFound('API key');
    if (!key.revokedAt) await this.keys.update({ id: keyId, projectId }, { revokedAt: new Date() });
    await this.changes.publish(ChangeChannel.ApiKeyRevoked, key.id);
    return { revoked: true };
  }

  /** One bcrypt per key per cache period: the gateway caches what this returns. */
  async verify(key: string): Promise<VerifiedApiKey | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    // The project's rate limit rides along (one join), so the gateway never looks it up per request.
    const row = await this.keys.findOne({ where: { prefix: apiKeyPrefix(key) }, relations: { project: true } });
    const ok = await verifySecret(key, row?.keyHash);
    if (!row || !ok || row.revokedAt) return null;
    return {
      keyId: row.id,
      projectId: row.projectId,
      type: row.type,
      allowedOrigins: row.allowedOrigins,
      rateLimitPerSecond: row.project?.rateLimitPerSecond ?? null,
    };
  }

  /** lastUsedAt is batched by the gateways and only ever moves forward. */
  async touch(keyIds: string[], at: string): Promise<{ touched: number }> {
    if (keyIds.length === 0) return { touched: 0 };
    const when = new Date(at);
    const result = await this.keys.update({ id: In(keyIds), lastUsedAt: Or(IsNull(), LessThan(when)) }, { lastUsedAt: when });
    return { touched: result.affected ?? 0 };
  }
}
