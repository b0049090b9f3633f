import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { StatusEventData } from '@app/contracts';
import { contextFrom, inSpan, SpanKind } from '@app/observability';
import { WebhookDeliveryQueue } from '@app/transport';
import { WebhookRepository } from '../webhook.repository';

/** The webhook-id of an event: derived, not random, so a fan-out that runs twice sends the same id. */
export function webhookIdOf(e: Pick<StatusEventData, 'messageId' | 'type' | 'at'>): string {
  return `msg_${createHash('sha256').update(`${e.messageId}.${e.type}.${e.at}`).digest('hex').slice(0, 32)}`;
}

/**
 * One status event → one delivery per enabled endpoint subscribed to its type. The body carries the
 * message's full state as it is now (API.md's message object), so a receiver that gets events out of
 * order still ends up with the latest state.
 */
@Injectable()
export class StatusEventProcessor {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly deliveries: WebhookDeliveryQueue,
  ) {}

  process(job: Job<StatusEventData>): Promise<void> {
    const span = { kind: SpanKind.CONSUMER, parent: contextFrom(job.data.trace), messageId: job.data.messageId };
    return inSpan(`webhook.fanout ${job.data.type}`, span, () => this.fanOut(job.data));
  }

  private async fanOut(e: StatusEventData): Promise<void> {
    const endpoints = await this.repository.subscribedEndpoints(e.projectId, e.type);
    if (endpoints.length === 0) return;
    const message = await this.repository.message(e.projectId, e.messageId);
    if (!message) return; // the project was deleted meanwhile
    const body = JSON.stringify({ type: e.type, timestamp: e.at, data: message });
    const webhookId = webhookIdOf(e);
    const refs = endpoints.map((endpointId) => ({ projectId: e.projectId, endpointId, messageId: e.messageId, type: e.type, webhookId }));
    await this.repository.insertPending(refs, body, new Date());
    await this.deliveries.addMany(refs.map((ref) => ({ ...ref, body })));
  }
}
