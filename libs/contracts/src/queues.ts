import type { ConnectorType } from './connector-types';

/** One BullMQ queue per connector type, so each type's workers scale alone. */
export function connectorQueueName(type: ConnectorType): `connector.${ConnectorType}` {
  return `connector.${type}`;
}

export const SEND_JOB = 'send' as const;

/** The message id, so re-adding a queued message is a no-op; a re-drive is a new job of its own. */
export function sendJobId(messageId: string, redrives = 0): string {
  return redrives > 0 ? `${messageId}.r${redrives}` : messageId;
}

/** The data of a `send` job: everything one provider call needs, so the worker does not read the row. */
export interface SendJobData {
  projectId: string;
  messageId: string;
  connectorId: string;
  to: string;
  text: string;
  subject?: string;
  /** For WhatsApp: send this approved template instead of free text. */
  whatsappTemplate?: import('./message.types').WhatsAppTemplateSend;
  /** How many times the message was re-driven after failing (POST /messages/:id/retry); part of the job id. */
  redrives?: number;
  /** Set by the outbox sweep: the job may duplicate one that already ran, so the worker checks the row first. */
  recovered?: boolean;
  /** Set when a provider call succeeded but the dispatcher could not be told yet, so a re-run never sends twice. */
  outcome?: import('./message.types').AttemptOutcome;
  /** The trace of the request that accepted the message (absent for jobs from the outbox sweep's own trace). */
  trace?: import('./trace-carrier').TraceCarrier;
}

/** Redis pub/sub channels (prefixed) that tell every process a cached thing changed. */
export enum ChangeChannel {
  /** A key was revoked or its rules changed (id = key id): every gateway drops its cached verification. */
  ApiKeyChanged = 'apikey.changed',
  ConnectorChanged = 'connector.changed',
  /** A project's settings changed or it was deleted (id = project id): drop what was cached from it. */
  ProjectChanged = 'project.changed',
  /** A project's webhook endpoints changed (id = project id): drop its cached subscriptions. */
  WebhooksChanged = 'webhooks.changed',
}

/** Status changes the dispatcher hands to the webhooks app (one BullMQ queue). */
export const STATUS_EVENTS_QUEUE = 'webhooks.events' as const;
export const STATUS_EVENT_JOB = 'status' as const;
export const WEBHOOK_EVENT_TYPES = ['message.queued', 'message.sent', 'message.delivered', 'message.read', 'message.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface StatusEventData {
  projectId: string;
  messageId: string;
  type: WebhookEventType;
  /** When the status changed (ISO-8601). */
  at: string;
  /** The trace the change happened in, so the webhook deliveries it fans out to join it. */
  trace?: import('./trace-carrier').TraceCarrier;
}

/** Sent on request from the dashboard (POST …/webhooks/:wid/test); never subscribed to, never about a message. */
export const WEBHOOK_TEST_EVENT = 'webhook.test' as const;
/** What a delivery can carry: a status event, or the test event. */
export type WebhookDeliveryEventType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

/** API.md's retry schedule for customer webhooks (about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h): 8 attempts over about 42 hours. */
export const WEBHOOK_RETRY_SCHEDULE_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  24 * 3_600_000,
] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_MS.length + 1;

/**
 * One job per endpoint and delivery; each run of it is one attempt. Fanned out by the webhooks app,
 * and queued by management for a test event or a replay; consumed by the webhooks app.
 */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhooks.deliveries' as const;
export const WEBHOOK_DELIVERY_JOB = 'deliver' as const;
/** The backoff type whose delays the delivery worker computes (the retry schedule). */
export const WEBHOOK_BACKOFF = 'webhook' as const;

export interface WebhookDeliveryJobData {
  projectId: string;
  endpointId: string;
  /** Null for the test event. */
  messageId: string | null;
  type: WebhookDeliveryEventType;
  /** `msg_…`: the webhook-id header, the same on every attempt, and on a replay of the event. */
  webhookId: string;
  /** 0 for the first delivery of the event to the endpoint; n for its nth replay. */
  replay?: number;
  /** The exact bytes every attempt sends (jsonb would not keep them: it reorders keys). */
  body: string;
  /** The trace of the status change (or the request) that queued the delivery. */
  trace?: import('./trace-carrier').TraceCarrier;
}
