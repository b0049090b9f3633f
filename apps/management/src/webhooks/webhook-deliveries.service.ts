import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  DomainError,
  ErrorCode,
  WEBHOOK_TEST_EVENT,
  WebhookDeliveryJobData,
  WebhookDeliveryPage,
  WebhookDeliveryView,
} from '@app/contracts';
import { decodePageCursor, encodePageCursor, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/database';
import { WebhookDeliveryQueue } from '@app/transport';
import { WebhooksService } from './webhooks.service';

function toDeliveryView(d: WebhookDeliveryEntity): WebhookDeliveryView {
  return {
    id: d.id,
    webhookId: d.webhookId,
    messageId: d.messageId,
    eventType: d.eventType,
    replay: d.replay,
    attempt: d.attempt,
    status: d.status,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The delivery log of an endpoint, and the deliveries its owner asks for: a test event, a replay. */
@Injectable()
export class WebhookDeliveriesService {
  private readonly deliveries: Repository<WebhookDeliveryEntity>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly endpoints: WebhooksService,
    private readonly queue: WebhookDeliveryQueue,
  ) {
    this.deliveries = dataSource.getRepository(WebhookDeliveryEntity);
  }

  /** Every attempt, newest first, keyset-paginated on (created_at, id) like messages. */
  async list(userId: string, projectId: string, webhookId: string, page: { limit: number; cursor?: string }): Promise<WebhookDeliveryPage> {
    const endpoint = await this.endpoints.requireEndpoint(userId, projectId, webhookId);
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId AND d.project_id = :projectId', { endpointId: endpoint.id, projectId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [at, id] = decodePageCursor(page.cursor);
      query.andWhere('(d.created_at, d.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await query.getMany();
    const data = rows.slice(0, page.limit);
    const last = data[data.length - 1];
    return { data: data.map(toDeliveryView), nextCursor: rows.length > page.limit ? encodePageCursor(last.createdAt, last.id) : null };
  }

  /** A `webhook.test` event, with a webhook-id of its own, delivered (and logged, and retried) like any other. */
  async sendTest(userId: string, projectId: string, webhookId: string): Promise<WebhookDeliveryView> {
    const endpoint = await this.sendable(userId, projectId, webhookId);
    const at = new Date();
    const body = JSON.stringify({
      type: WEBHOOK_TEST_EVENT,
      timestamp: at.toISOString(),
      data: { endpointId: endpoint.id, projectId, message: 'A test event from MessageJS: no message is involved and nothing needs doing.' },
    });
    const row = this.deliveries.create({
      endpointId: endpoint.id,
      projectId,
      messageId: null,
      eventType: WEBHOOK_TEST_EVENT,
      webhookId: `msg_${randomBytes(16).toString('hex')}`,
      payload: JSON.parse(body),
      replay: 0,
      attempt: 1,
      status: 'pending',
      createdAt: at,
    });
    return this.queueDelivery(await this.deliveries.save(row), body);
  }

  /**
   * The logged event's payload sent again as a new delivery: the same webhook-id (Standard Webhooks:
   * the same event), a fresh timestamp and signature, attempts and retries of its own. Replays of
   * one event are numbered under a lock on the endpoint, so two at once get two numbers.
   */
  async replay(userId: string, projectId: string, webhookId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const endpoint = await this.sendable(userId, projectId, webhookId);
    const original = await this.deliveries.findOneBy({ id: deliveryId, endpointId: endpoint.id, projectId });
    if (!original) throw DomainError.notFound('delivery');
    const row = await this.dataSource.transaction(async (tx: EntityManager) => {
      await tx.getRepository(WebhookEndpointEntity).findOne({ where: { id: endpoint.id }, lock: { mode: 'pessimistic_write' } });
      const last: { replay: number | null } | undefined = await tx
        .getRepository(WebhookDeliveryEntity)
        .createQueryBuilder('d')
        .select('max(d.replay)', 'replay')
        .where('d.endpoint_id = :endpointId AND d.webhook_id = :webhookId', { endpointId: endpoint.id, webhookId: original.webhookId })
        .getRawOne();
      const replay = tx.getRepository(WebhookDeliveryEntity).create({
        endpointId: endpoint.id,
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
      return tx.getRepository(WebhookDeliveryEntity).save(replay);
    });
    return this.queueDelivery(row, JSON.stringify(original.payload));
  }

  /** The endpoint, if it may be sent to: a disabled one gets nothing until it is enabled again. */
  private async sendable(userId: string, projectId: string, webhookId: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.requireEndpoint(userId, projectId, webhookId);
    if (endpoint.disabledAt) {
      throw new DomainError(ErrorCode.Conflict, 'the endpoint is disabled: enable it (PATCH with enabled: true) before sending to it');
    }
    return endpoint;
  }

  /** The row is committed as pending first; if the queue cannot take the job, the row goes and the caller hears why. */
  private async queueDelivery(row: WebhookDeliveryEntity, body: string): Promise<WebhookDeliveryView> {
    const job: WebhookDeliveryJobData = {
      projectId: row.projectId,
      endpointId: row.endpointId,
      messageId: row.messageId,
      type: row.eventType,
      webhookId: row.webhookId,
      replay: row.replay,
      body,
    };
    try {
      await this.queue.addMany([job]);
    } catch {
      await this.deliveries.delete({ id: row.id });
      throw new DomainError(ErrorCode.Unavailable, 'the delivery could not be queued; try again');
    }
    return toDeliveryView(row);
  }
}
