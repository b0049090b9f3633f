import { DataSource, DeepPartial, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';

export type QuotaName = keyof AppConfig['quotas'];

/** Each ceiling the operator sets: its environment variable (named in the 409) and what it counts, and where. */
const QUOTAS: Record<QuotaName, { setting: string; what: string }> = {
  projectsPerUser: { setting: 'MAX_PROJECTS_PER_USER', what: 'projects per user' },
  keysPerProject: { setting: 'MAX_KEYS_PER_PROJECT', what: 'API keys per project (revoked ones count until their project is deleted)' },
  connectorsPerProject: { setting: 'MAX_CONNECTORS_PER_PROJECT', what: 'connectors per project' },
  templatesPerProject: { setting: 'MAX_TEMPLATES_PER_PROJECT', what: 'templates per project' },
  webhooksPerProject: { setting: 'MAX_WEBHOOKS_PER_PROJECT', what: 'webhook endpoints per project' },
};

/** Whose rows are counted: a project's, or (for projects) a user's. */
type Owner = { projectId: string } | { ownerId: string };

function quotaExceeded(name: QuotaName, limit: number): DomainError {
  const { setting, what } = QUOTAS[name];
  return new DomainError(ErrorCode.QuotaExceeded, `${setting} reached: at most ${limit} ${what}`);
}

/**
 * Inserts a row of `owner` unless it has `limit` already: counts and inserts in one transaction holding
 * a row lock on the owner (the project, or the user), so concurrent creates queue behind each other
 * and cannot all pass the count: the ceiling holds under any race.
 */
export async function insertWithinQuota<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  quota: { name: QuotaName; limit: number; owner: Owner & FindOptionsWhere<NoInfer<E>> },
  values: DeepPartial<NoInfer<E>>,
): Promise<E> {
  const { owner, limit } = quota;
  const [table, id] = 'projectId' in owner ? ['projects', owner.projectId] : ['users', owner.ownerId];
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
    const count = await manager.count(entity, { where: owner });
    if (count >= limit) throw quotaExceeded(quota.name, limit);
    return manager.save(entity, manager.create(entity, { ...values, ...owner }));
  });
}
