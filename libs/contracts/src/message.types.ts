import type { ConnectorType } from './connector-types';
import type { MessageStatus } from './message-status';
import type { ProviderOutcome } from './provider-outcome';

export interface MessageEvent {
  status: MessageStatus;
  at: string;
  detail?: string;
  /** The provider's code when the event records a provider answer. */
  code?: string;
  attempt?: number;
  /** What the provider answered to this attempt or said in this receipt (bounded, never a body or a secret). */
  provider?: ProviderOutcome;
}

/** The public message object (API.md). */
export interface MessageView {
  id: string;
  projectId: string;
  connector: { id: string; type: ConnectorType };
  to: string;
  status: MessageStatus;
  externalId: string | null;
  error: { code: string; message: string } | null;
  attempts: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

export interface MessageWithEvents extends MessageView {
  events: MessageEvent[];
}

export interface AcceptedMessage {
  id: string;
  status: 'queued';
  connector: { id: string; type: ConnectorType };
  to: string;
  createdAt: string;
}

export interface MessagePage {
  data: MessageView[];
  nextCursor: string | null;
}

/** What the gateway hands the dispatcher after HTTP validation. */
export interface SendMessageCommand {
  projectId: string;
  to: string;
  /** Exactly one of `message` and `template` is set (the gateway checks it). */
  message?: string;
  /** A project template by name, rendered at send time; `variables` must match its variables exactly. */
  template?: { name: string; variables: Record<string, string> };
  connector: string;
  subject?: string;
  metadata?: Record<string, string>;
  /** From an Idempotency-Key header: SHA-256 of the key and of the request, stored with the message. */
  idempotency?: { key: string; fingerprint: string };
}

export interface ListMessagesQuery {
  projectId: string;
  status?: MessageStatus;
  connector?: string;
  to?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}

/** What a worker reports after one provider call (or after finding a crashed one). */
export interface AttemptOutcome {
  projectId: string;
  messageId: string;
  attempt: number;
  startedAt: string;
  finishedAt: string;
  result: 'sent' | 'retrying' | 'failed';
  externalId?: string;
  error?: { code: string; message: string };
  /** The provider's own answer, when the attempt reached it (a refusal, an error status, a timeout). */
  provider?: ProviderOutcome;
  retryInMs?: number;
  /** The trace of the send, so the status change it causes (and its webhooks) stays in the message's trace. */
  trace?: import('./trace-carrier').TraceCarrier;
}

/** An approved Meta template with its body parameters, in the order they appear in the content. */
export interface WhatsAppTemplateSend {
  name: string;
  language: string;
  parameters: string[];
}
