import type { ConnectorType } from '@app/contracts';
import type { OutboundPolicy } from '@app/transport';

/** What one send needs; the worker builds it from the message row. */
export interface OutboundMessage {
  messageId: string;
  to: string;
  text: string;
  subject?: string;
  /** For WhatsApp: an approved Meta template to use instead of free text. */
  whatsappTemplate?: { name: string; language: string; parameters: string[] };
}

export interface SendResult {
  externalId: string;
  /** `sent` by default; a provider that confirms delivery synchronously may say `delivered`. */
  status?: 'sent' | 'delivered';
}

export interface VerifyResult {
  ok: true;
  /** A human-readable identity of the account, e.g. the bot's @username. */
  identity?: string;
}

export type ProviderStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * Every provider failure is classified once, in the connector, into one of three kinds
 * (ARCHITECTURE.md invariant 7). The worker only reads `kind`.
 */
export type ProviderErrorKind = 'retryable' | 'rateLimited' | 'permanent';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    /** The provider's own code, e.g. Telegram's error_code or Twilio's 21211. */
    readonly code: string,
    message: string,
    /** For `rateLimited` (and sometimes `retryable`): how long the provider asked us to wait. */
    readonly retryAfterMs?: number,
    /** The HTTP status of the provider's answer, when there was one (shown in the message's history). */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  static retryable(code: string, message: string, retryAfterMs?: number): ProviderError {
    return new ProviderError('retryable', code, message, retryAfterMs);
  }
  static rateLimited(code: string, message: string, retryAfterMs: number): ProviderError {
    return new ProviderError('rateLimited', code, message, retryAfterMs);
  }
  static permanent(code: string, message: string): ProviderError {
    return new ProviderError('permanent', code, message);
  }

  /**
   * Defence in depth: classifiers never quote the request, but a credential must not leak even if a
   * provider echoed one. Each secret's text is replaced by its label: `withoutSecrets([token, '<bot token>'])`.
   */
  withoutSecrets(...secrets: Array<[secret: string, label: string]>): ProviderError {
    const found = secrets.filter(([secret]) => secret !== '' && this.message.includes(secret));
    if (found.length === 0) return this;
    const message = found.reduce((text, [secret, label]) => text.replaceAll(secret, label), this.message);
    return new ProviderError(this.kind, this.code, message, this.retryAfterMs, this.httpStatus);
  }

  /** The same error, noting the HTTP status the provider answered with. */
  withHttpStatus(status: number): ProviderError {
    return new ProviderError(this.kind, this.code, this.message, this.retryAfterMs, status);
  }
}

/** One provider account, built by the registry from decrypted credentials + config. */
export interface Connector {
  readonly type: ConnectorType;
  /** Calls the provider to prove the credentials work (Telegram getMe, …). Throws ProviderError. */
  validate(): Promise<VerifyResult>;
  /** Sends one message. Throws ProviderError, classified. */
  sendMessage(message: OutboundMessage): Promise<SendResult>;
  /**
   * Asks the provider for the current status of a sent message. Only where the provider has a
   * per-message lookup (Twilio's Message resource); Telegram, SMTP and WhatsApp have none, so their
   * connectors leave it out and the status reconciler never asks them.
   */
  getStatus?(externalId: string): Promise<ProviderStatus | null>;
  /** Frees pooled resources (SMTP pools). */
  close?(): Promise<void>;
}

/** What a connector may need to know about where it runs (e.g. to build a status-callback URL). */
export interface ConnectorContext {
  connectorId: string;
  /** PUBLIC_URL, without a trailing slash, when configured. */
  publicUrl?: string;
  /** Which addresses the provider's host may resolve to; public ones only when absent. */
  outbound?: OutboundPolicy;
}

export interface ConnectorFactory<C = Record<string, unknown>, K = Record<string, unknown>> {
  readonly type: ConnectorType;
  create(credentials: K, config: C, context: ConnectorContext): Connector;
}
