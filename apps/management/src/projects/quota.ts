import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { DomainError, ErrorCode } from '@app/contracts';

/** A count ceiling the operator sets (AppConfig.quotas), named by its environment variable in the 409. */
export interface Quota<E extends ObjectLiteral> {
  /** The environment variable, e.g. MAX_CONNECTORS_PER_PROJECT. */
  setting: string;
  limit: number;
  /** What is counted, plural ("connectors"), and where ("per project"). */
  what: string;
  entity: EntityTarget<E>;
  where: FindOptionsWhere<E>;
  /** The row every create of this kind locks first (the project, or the user for projects). */
  lock: { table: 'projects' | 'users'; id: string };
}

export function quotaExceeded(setting: string, limit: number, what: string): DomainError {
  return new DomainError(ErrorCode.QuotaExceeded, `${setting} reached: at most ${limit} ${what}`);
}

/**
 * Counts and inserts in one transaction holding a row lock on the owner, so concurrent creates queue
 * behind each other and cannot all pass the count: the ceiling holds under any race.
 */
export async function createWithinQuota<E extends ObjectLiteral, T>(
  dataSource: DataSource,
  quota: Quota<E>,
  insert: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM "${quota.lock.table}" WHERE id = $1 FOR UPDATE`, [quota.lock.id]);
    const count = await manager.count(quota.entity, { where: quota.where });
    if (count >= quota.limit) throw quotaExceeded(quota.setting, quota.limit, quota.what);
    return insert(manager);
  });
}
