import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  WEBHOOK_TEST_EVENT,
  WebhookDeliveryJobData,
  WebhookDeliveryPage,
  WebhookDeliveryView,
} from '@app/contracts';
import { WebhookDeliveryEntity, WebhookDeliveryRepository, WebhookEndpointEntity } from '@app/database';
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
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhooksService,
    private readonly queue: WebhookDeliveryQueue,
  ) {}

  /** Every attempt, newest first, keyset-paginated on (created_at, id) like messages. */
  async list(userId: string, projectId: string, webhookId: string, page: { limit: number; cursor?: string }): Promise<WebhookDeliveryPage> {
    const endpoint = await this.endpoints.requireEndpoint(userId, projectId, webhookId);
    const { data, nextCursor } = await this.deliveries.page(projectId, endpoint.id, page);
    return { data: data.map(toDeliveryView), nextCursor };
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
    const row = await this.deliveries.insertPending(
      projectId,
      {
        endpointId: endpoint.id,
        messageId: null,
        eventType: WEBHOOK_TEST_EVENT,
        webhookId: `msg_${randomBytes(16).toString('hex')}`,
        payload: JSON.parse(body),
      },
      at,
    );
    return this.queueDelivery(row, body);
  }

  /**
   * The logged event's payload sent again as a new delivery: the same webhook-id (Standard Webhooks:
   * the same event), a fresh timestamp and signature, attempts and retries of its own. Replays of
   * one event are numbered under a lock on the endpoint, so two at once get two numbers.
   */
  async replay(userId: string, projectId: string, webhookId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const endpoint = await this.sendable(userId, projectId, webhookId);
    const original = await this.deliveries.findInEndpoint(projectId, endpoint.id, deliveryId);
    if (!original) throw DomainError.notFound('delivery');
    const row = await this.deliveries.insertReplay(projectId, original);
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
      await this.deliveries.delete(row.projectId, row.id);
      throw new DomainError(ErrorCode.Unavailable, 'the delivery could not be queued; try again');
    }
    return toDeliveryView(row);
  }
}
