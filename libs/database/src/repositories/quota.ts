import { DataSource, DeepPartial, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { DomainError, ErrorCode } from '@app/contracts';

/** A count ceiling the operator sets (AppConfig.quotas), named in the 409 by its environment variable. */
interface Quota<E extends ObjectLiteral> {
  /** The environment variable, e.g. MAX_CONNECTORS_PER_PROJECT. */
  setting: string;
  /** What is counted, plural ("connectors"), and where ("per project"). */
  what: string;
  entity: EntityTarget<E>;
  /** The row every create of this kind locks first: the project, or the user for projects. */
  owner: 'projects' | 'users';
  /** The rows that count against the owner `ownerId`. */
  counted: (ownerId: string) => FindOptionsWhere<E>;
}

export function quotaExceeded(setting: string, limit: number, what: string): DomainError {
  return new DomainError(ErrorCode.QuotaExceeded, `${setting} reached: at most ${limit} ${what}`);
}

/**
 * Counts and inserts in one transaction holding a row lock on the owner, so concurrent creates queue
 * behind each other and cannot all pass the count: the ceiling holds under any race.
 */
export async function insertWithinQuota<E extends ObjectLiteral>(
  dataSource: DataSource,
  quota: Quota<E>,
  ownerId: string,
  limit: number,
  values: DeepPartial<E>,
): Promise<E> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM "${quota.owner}" WHERE id = $1 FOR UPDATE`, [ownerId]);
    const count = await manager.count(quota.entity, { where: quota.counted(ownerId) });
    if (count >= limit) throw quotaExceeded(quota.setting, limit, quota.what);
    return manager.save(quota.entity, manager.create(quota.entity, values));
  });
}

/** Quotas are declared beside their repository with this, so the entity and the counted rows agree. */
export function quota<E extends ObjectLiteral>(q: Quota<E>): Quota<E> {
  return q;
}
