import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UUID_PATTERN } from '@app/contracts';
import { WebhookDeliveryEntity } from '../entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';
import { keysetPage, Page, PageRequest } from './keyset-page';

/** The event a delivery carries, as its first attempt is logged (`pending`) before it is queued. */
export type NewDelivery = Pick<WebhookDeliveryEntity, 'endpointId' | 'messageId' | 'eventType' | 'webhookId' | 'payload'>;

/**
 * The delivery log as its owner sees and drives it (the webhooks app writes the attempts it makes
 * in its own WebhookRepository). Every query names the project.
 */
@Injectable()
export class WebhookDeliveryRepository {
  private readonly deliveries: Repository<WebhookDeliveryEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.deliveries = dataSource.getRepository(WebhookDeliveryEntity);
  }

  /** Every attempt to the endpoint, newest first. */
  page(projectId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookDeliveryEntity>> {
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId AND d.project_id = :projectId', { endpointId, projectId });
    return keysetPage(query, 'd.created_at', page);
  }

  findInEndpoint(projectId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryEntity | null> {
    return UUID_PATTERN.test(deliveryId) ? this.deliveries.findOneBy({ projectId, endpointId, id: deliveryId }) : Promise.resolve(null);
  }

  /** Attempt 1 of a first delivery (replay 0), logged as pending. */
  insertPending(projectId: string, delivery: NewDelivery, at: Date): Promise<WebhookDeliveryEntity> {
    return this.deliveries.save(
      this.deliveries.create({ ...delivery, projectId, replay: 0, attempt: 1, status: 'pending', createdAt: at }),
    );
  }

  /**
   * Attempt 1 of the next replay of `original`'s event, logged as pending. Replays of one event are
   * numbered under a lock on its endpoint, so two at once get two numbers.
   */
  insertReplay(projectId: string, original: WebhookDeliveryEntity): Promise<WebhookDeliveryEntity> {
    return this.dataSource.transaction(async (tx) => {
      await tx.getRepository(WebhookEndpointEntity).findOne({
        where: { projectId, id: original.endpointId },
        lock: { mode: 'pessimistic_write' },
      });
      const deliveries = tx.getRepository(WebhookDeliveryEntity);
      const last: { replay: number | null } | undefined = await deliveries
        .createQueryBuilder('d')
        .select('max(d.replay)', 'replay')
        .where('d.endpoint_id = :endpointId AND d.project_id = :projectId AND d.webhook_id = :webhookId', {
          endpointId: original.endpointId,
          projectId,
          webhookId: original.webhookId,
        })
        .getRawOne();
      const replay = deliveries.create({
        endpointId: original.endpointId,
        projectId,
        messageId: original.messageId,
        eventType: original.eventType,
        webhookId: original.webhookId,
        payload: original.payload,
        replay: (last?.replay ?? original.replay) + 1,
        attempt: 1,
        status: 'pending',
        createdAt: new Date(),
      });
      return deliveries.save(replay);
    });
  }

  /** Takes back a pending delivery that could not be queued. */
  async delete(projectId: string, deliveryId: string): Promise<void> {
    await this.deliveries.delete({ projectId, id: deliveryId });
  }
}
