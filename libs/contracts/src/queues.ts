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
}
