/** Request and response shapes of the MessageJS HTTP API v1 (the OpenAPI document, docs/openapi.json). */

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export type ConnectorType = 'telegram' | 'whatsapp' | 'twilio' | 'smtp';

export interface ConnectorRef {
  id: string;
  type: ConnectorType;
}

export interface TemplateRef {
  /** The name of one of the project's templates. */
  name: string;
  /** A value for each of the template's `{{variables}}`, no more and no fewer. */
  variables?: Record<string, string>;
}

interface SendBase {
  /** What the channel takes: E.164 for twilio/whatsapp, a chat id or `@channel` for telegram, an email for smtp. */
  to: string;
  /** A connector id, or a type when the project has exactly one connector of that type. */
  connector: string;
  /** Email subject (smtp only). */
  subject?: string;
  /** Up to 50 string values, echoed on the message and its webhooks. */
  metadata?: Record<string, string>;
  /**
   * Sent as the `Idempotency-Key` header, as is. Without it the SDK makes one per `send` call and
   * reuses it on every retry of that call, so a retry never sends twice.
   */
  idempotencyKey?: string;
}

/** Exactly one of `message` and `template` (the API refuses both or neither with 422). */
export type SendParams = SendBase & ({ message: string; template?: never } | { template: TemplateRef; message?: never });

/** The 202 answer to a send: the message is durable and will reach a final status. */
export interface AcceptedMessage {
  id: string;
  status: 'queued';
  connector: ConnectorRef;
  to: string;
  createdAt: string;
}

export interface Message {
  id: string;
  projectId: string;
  connector: ConnectorRef;
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

export interface MessageEvent {
  status: MessageStatus;
  at: string;
  detail?: string;
  /** The provider's code, when the event records a provider answer. */
  code?: string;
  attempt?: number;
}

/** What `get(id)` returns: the message and its events, oldest first. */
export interface MessageWithEvents extends Message {
  events: MessageEvent[];
}

export interface ListParams {
  status?: MessageStatus;
  /** A connector id or type. */
  connector?: string;
  to?: string;
  /** Created at or after (ISO-8601 string or Date). */
  since?: string | Date;
  /** Created before (ISO-8601 string or Date). */
  until?: string | Date;
  /** 1..100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page, newest first; `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface MessageJSOptions {
  /** `mjs_sk_…` (server-side) or `mjs_pk_…` (browser-safe: templates only, allowed origins only). */
  apiKey: string;
  /** Sent as `X-Project-Id`; the API refuses the call (401) when it does not match the key's project. */
  projectId?: string;
  /** The platform's origin. Default `http://localhost:3000`; `/api/v1` is added by the SDK. */
  baseUrl?: string;
  /** Per attempt, including reading the body. Default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch;
}
