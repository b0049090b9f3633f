import { Inject, Injectable } from '@nestjs/common';
import {
  API_KEY_LAST_USED_RESOLUTION_MS,
  ApiKeyView,
  ChangeChannel,
  DomainError,
  ErrorCode,
  PUBLIC_KEY_DAILY_LIMIT_DEFAULT,
  VerifiedApiKey,
} from '@app/contracts';
import { API_KEY_PATTERN, apiKeyPrefix, generateApiKey, hashSecret, verifySecret } from '@app/crypto';
import { ApiKeyChanges, ApiKeyEntity, ApiKeyRepository } from '@app/database';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ChangeFeed } from '@app/transport';
import { ProjectsService } from '../projects/projects.service';

function toView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    type: k.type,
    prefix: k.prefix,
    allowedOrigins: k.allowedOrigins,
    dailyLimit: k.dailyLimit,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Origins and a daily cap are what make a key safe in a browser; a secret key has neither. */
function assertPublicOnly(input: { allowedOrigins?: string[]; dailyLimit?: number }): void {
  if (input.allowedOrigins !== undefined) throw DomainError.validation('allowedOrigins', 'applies to public keys only');
  if (input.dailyLimit !== undefined) throw DomainError.validation('dailyLimit', 'applies to public keys only');
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly projects: ProjectsService,
    private readonly changes: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The key is returned this once; only its bcrypt hash is kept. */
  async create(
    userId: string,
    projectId: string,
    input: { name: string; type: 'secret' | 'public'; allowedOrigins?: string[]; dailyLimit?: number },
  ): Promise<ApiKeyView & { key: string }> {
    await this.projects.requireOwned(userId, projectId);
    if (input.type === 'secret') assertPublicOnly(input);
    const { key, prefix } = generateApiKey(input.type);
    const keyHash = await hashSecret(key);
    const row = await this.keys.create(
      projectId,
      {
        name: input.name,
        type: input.type,
        prefix,
        keyHash,
        allowedOrigins: input.type === 'public' ? (input.allowedOrigins ?? []) : null,
        dailyLimit: input.type === 'public' ? (input.dailyLimit ?? PUBLIC_KEY_DAILY_LIMIT_DEFAULT) : null,
      },
      this.config.quotas.keysPerProject,
    );
    return { ...toView(row), key };
  }

  async list(userId: string, projectId: string): Promise<{ data: ApiKeyView[] }> {
    await this.projects.requireOwned(userId, projectId);
    return { data: (await this.keys.listInProject(projectId)).map(toView) };
  }

  /** A public key's rules change in place (the key itself stays the same); every gateway hears of it at once. */
  async update(
    userId: string,
    projectId: string,
    keyId: string,
    input: { name?: string; allowedOrigins?: string[]; dailyLimit?: number },
  ): Promise<ApiKeyView> {
    const key = await this.requireKey(userId, projectId, keyId);
    if (key.revokedAt) throw new DomainError(ErrorCode.Conflict, 'the API key is revoked; create a new one');
    if (key.type === 'secret') assertPublicOnly(input);
    const changes: ApiKeyChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.allowedOrigins !== undefined) changes.allowedOrigins = input.allowedOrigins;
    if (input.dailyLimit !== undefined) changes.dailyLimit = input.dailyLimit;
    if (Object.keys(changes).length > 0) {
      await this.keys.updateInProject(projectId, keyId, changes);
      await this.changes.publish(ChangeChannel.ApiKeyChanged, key.id);
    }
    return toView({ ...key, ...changes });
  }

  /** Revocation is published at once so every gateway drops its cached verification. */
  async revoke(userId: string, projectId: string, keyId: string): Promise<{ revoked: true }> {
    const key = await this.requireKey(userId, projectId, keyId);
    if (!key.revokedAt) await this.keys.updateInProject(projectId, keyId, { revokedAt: new Date() });
    await this.changes.publish(ChangeChannel.ApiKeyChanged, key.id);
    return { revoked: true };
  }

  /**
   * One bcrypt per key per cache period: the gateway caches what this returns. The row is found by the
   * key's prefix first, so a key that does not exist is refused without hashing (the prefix is random
   * and shown only to the key's owner, so answering faster for it tells a guesser nothing).
   */
  async verify(key: string): Promise<VerifiedApiKey | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    // The project's rate limit rides along (one join), so the gateway never looks it up per request.
    const row = await this.keys.findByPrefix(apiKeyPrefix(key));
    if (!row || row.revokedAt) return null;
    if (!(await verifySecret(key, row.keyHash))) return null;
    return {
      keyId: row.id,
      projectId: row.projectId,
      type: row.type,
      allowedOrigins: row.allowedOrigins,
      dailyLimit: row.dailyLimit,
      rateLimitPerSecond: row.project?.rateLimitPerSecond ?? null,
    };
  }

  /** lastUsedAt is gated and batched by the gateways; here too it moves only forward, and at most once a minute. */
  async touch(keys: Array<{ projectId: string; keyId: string }>, at: string): Promise<{ touched: number }> {
    const when = new Date(at);
    return { touched: await this.keys.markUsed(keys, when, new Date(when.getTime() - API_KEY_LAST_USED_RESOLUTION_MS)) };
  }

  private requireKey(userId: string, projectId: string, keyId: string): Promise<ApiKeyEntity> {
    return this.projects.requireInOwned(userId, projectId, 'API key', (inProject) => this.keys.findInProject(inProject, keyId));
  }
}
