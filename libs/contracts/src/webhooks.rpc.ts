import type { WebhookDeliveryEventType, WebhookEventType } from './queues';
import type { AppName, InProject } from './rpc-owners';

/** A customer's webhook endpoint; the signing secret is never part of it (shown once, at creation). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** False once disabled: by a 410 from the endpoint, or by the owner (PATCH `enabled:false`). */
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  /** Until when deliveries are also signed with the secret the last rotation replaced; null when none is. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedWebhookEndpoint extends WebhookEndpointView {
  /** `whsec_` + base64 of 32 random bytes: the only time it is shown. */
  secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'retrying', 'failed'] as const;
/** pending: not tried yet; retrying: this attempt failed and another follows; failed: the last one failed. */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One delivery attempt of one event to one endpoint. */
export interface WebhookDeliveryView {
  id: string;
  /** The `webhook-id` header: the same on every attempt of the event, and on its replays. */
  webhookId: string;
  /** Null for the test event. */
  messageId: string | null;
  eventType: WebhookDeliveryEventType;
  /** 0 for the event's first delivery; n for its nth replay. */
  replay: number;
  attempt: number;
  status: WebhookDeliveryStatus;
  /** The endpoint's HTTP status; null when it did not answer (timeout, refused connection). */
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  /** When the attempt was made (or, while pending, when the event was queued for the endpoint). */
  createdAt: string;
}

export interface WebhookDeliveryPage {
  data: WebhookDeliveryView[];
  nextCursor: string | null;
}

/** Webhook endpoint CRUD and the attempt log (issue: webhooks). */
export interface WebhookRpc {
  'webhooks.create': { payload: InProject<{ url: string; events: WebhookEventType[] }>; reply: CreatedWebhookEndpoint };
  'webhooks.list': { payload: InProject; reply: { data: WebhookEndpointView[] } };
  'webhooks.get': { payload: InProject<{ webhookId: string }>; reply: WebhookEndpointView };
  /** `enabled: true` re-enables a disabled endpoint; events missed while disabled are not replayed. */
  'webhooks.update': {
    payload: InProject<{ webhookId: string; url?: string; events?: WebhookEventType[]; enabled?: boolean }>;
    reply: WebhookEndpointView;
  };
  'webhooks.delete': { payload: InProject<{ webhookId: string }>; reply: { deleted: true } };
  /** Newest first, keyset-paginated like messages. */
  'webhooks.deliveries': { payload: InProject<{ webhookId: string; limit: number; cursor?: string }>; reply: WebhookDeliveryPage };
  /** A new secret, shown once; the old one keeps signing too (a second signature) for WEBHOOK_SECRET_OVERLAP_MS. */
  'webhooks.rotateSecret': {
    payload: InProject<{ webhookId: string }>;
    reply: { secret: string; previousSecretExpiresAt: string };
  };
  /** Queues a `webhook.test` event for the endpoint now; replies with its pending delivery. */
  'webhooks.test': { payload: InProject<{ webhookId: string }>; reply: WebhookDeliveryView };
  /** Queues the payload of a logged delivery again (same webhook-id, fresh timestamp and signature). */
  'webhooks.replay': { payload: InProject<{ webhookId: string; deliveryId: string }>; reply: WebhookDeliveryView };
}

/** How long a rotated-out webhook secret still signs deliveries (API.md: 24 h). */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

export const WEBHOOK_RPC_OWNERS: Record<keyof WebhookRpc, AppName> = {
  'webhooks.create': 'management',
  'webhooks.list': 'management',
  'webhooks.get': 'management',
  'webhooks.update': 'management',
  'webhooks.delete': 'management',
  'webhooks.deliveries': 'management',
  'webhooks.rotateSecret': 'management',
  'webhooks.test': 'management',
  'webhooks.replay': 'management',
};
