import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan, Or, Repository } from 'typeorm';
import { UUID_PATTERN } from '@app/contracts';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { insertWithinQuota } from './quota';

export type NewApiKey = Pick<ApiKeyEntity, 'name' | 'type' | 'prefix' | 'keyHash' | 'allowedOrigins' | 'dailyLimit'>;
export type ApiKeyChanges = Partial<Pick<ApiKeyEntity, 'name' | 'allowedOrigins' | 'dailyLimit' | 'revokedAt'>>;

/** Every query names the project, but verify's, which starts from the key itself. */
@Injectable()
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /** At most `limit` keys per project, however many creates race (409 quota_exceeded past it). */
  create(projectId: string, key: NewApiKey, limit: number): Promise<ApiKeyEntity> {
    const quota = { name: 'keysPerProject', limit, owner: { projectId } } as const;
    return insertWithinQuota(this.dataSource, ApiKeyEntity, quota, { ...key, lastUsedAt: null, revokedAt: null });
  }

  /** Newest first, revoked ones included. */
  listInProject(projectId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findInProject(projectId: string, keyId: string): Promise<ApiKeyEntity | null> {
    return UUID_PATTERN.test(keyId) ? this.keys.findOneBy({ projectId, id: keyId }) : Promise.resolve(null);
  }

  async updateInProject(projectId: string, keyId: string, changes: ApiKeyChanges): Promise<void> {
    await this.keys.update({ projectId, id: keyId }, changes);
  }

  /**
   * The key whose prefix this is, with its project's rate limit (one join). Found by the key itself,
   * not by a project: the caller then checks the whole key against the row's hash.
   */
  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { prefix }, relations: { project: true } });
  }

  /** Moves lastUsedAt forward to `at` for the keys not marked since `due`; how many rows moved. */
  async markUsed(keys: Array<{ projectId: string; keyId: string }>, at: Date, due: Date): Promise<number> {
    const stale = Or(IsNull(), LessThan(due));
    const where = keys.filter((k) => UUID_PATTERN.test(k.keyId)).map((k) => ({ projectId: k.projectId, id: k.keyId, lastUsedAt: stale }));
    if (where.length === 0) return 0;
    return (await this.keys.update(where, { lastUsedAt: at })).affected ?? 0;
  }
}
