import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UUID_PATTERN, type WebhookEventType } from '@app/contracts';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';
import { insertWithinQuota } from './quota';

export type WebhookEndpointChanges = Partial<Pick<WebhookEndpointEntity, 'url' | 'events' | 'disabledAt' | 'disabledReason'>>;

/** Every query names the project: an endpoint of another project is simply not there. */
@Injectable()
export class WebhookEndpointRepository {
  private readonly endpoints: Repository<WebhookEndpointEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.endpoints = dataSource.getRepository(WebhookEndpointEntity);
  }

  /** An enabled endpoint, at most `limit` per project however many creates race (409 quota_exceeded past it). */
  create(
    projectId: string,
    endpoint: Pick<WebhookEndpointEntity, 'url' | 'events' | 'secretSealed'>,
    limit: number,
  ): Promise<WebhookEndpointEntity> {
    const quota = { name: 'webhooksPerProject', limit, owner: { projectId } } as const;
    return insertWithinQuota(this.dataSource, WebhookEndpointEntity, quota, {
      ...endpoint,
      disabledAt: null,
      disabledReason: null,
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
    });
  }

  /** The event types the project's enabled endpoints subscribe to (the dispatcher's status events). */
  async subscribedEventTypes(projectId: string): Promise<Set<WebhookEventType>> {
    const rows: Array<{ type: WebhookEventType }> = await this.endpoints
      .createQueryBuilder('e')
      .select('DISTINCT unnest(e.events)', 'type')
      .where('e.projectId = :projectId AND e.disabledAt IS NULL', { projectId })
      .getRawMany();
    return new Set(rows.map((r) => r.type));
  }

  /** Newest first. */
  listInProject(projectId: string): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findInProject(projectId: string, endpointId: string): Promise<WebhookEndpointEntity | null> {
    return UUID_PATTERN.test(endpointId) ? this.endpoints.findOneBy({ projectId, id: endpointId }) : Promise.resolve(null);
  }

  /** The endpoint as it is after the change (null if it is gone meanwhile). */
  async update(projectId: string, endpointId: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointEntity | null> {
    await this.endpoints.update({ projectId, id: endpointId }, changes);
    return this.findInProject(projectId, endpointId);
  }

  /**
   * A new current secret; the current one becomes the previous one until `previousExpiresAt`. One
   * statement, so two rotations at once cannot lose a secret either caller was shown.
   */
  async rotateSecret(projectId: string, endpointId: string, secretSealed: string, previousExpiresAt: Date): Promise<void> {
    await this.endpoints.update(
      { projectId, id: endpointId },
      { previousSecretSealed: () => 'secret_sealed', previousSecretExpiresAt: previousExpiresAt, secretSealed },
    );
  }

  /** Its delivery log goes with it (the foreign key cascades). */
  async delete(projectId: string, endpointId: string): Promise<void> {
    await this.endpoints.delete({ projectId, id: endpointId });
  }
}
