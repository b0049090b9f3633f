import type { OutboundPolicy } from '@app/transport';
import { Connector, OutboundMessage, ProviderError, SendResult, VerifyResult } from '../connector.interface';
import { ProviderHttp } from '../provider-http';
import { TELEGRAM_DEFAULT_BASE_URL, TelegramConfig, TelegramCredentials } from './telegram.credentials';
import { classifyTelegramFailure } from './telegram.errors';

const DEFAULT_TIMEOUT_MS = 15_000;

export interface TelegramConnectorOptions {
  /** Per-request timeout; 15 s unless a test needs it shorter. */
  timeoutMs?: number;
  /** Which addresses the base URL may resolve to; public ones only when absent. */
  outbound?: OutboundPolicy;
}

/** Talks to the Telegram Bot API (https://core.telegram.org/bots/api) for one bot. */
export class TelegramConnector implements Connector {
  readonly type = 'telegram';
  // ES private fields: the token stays out of util.inspect, JSON.stringify and logged objects.
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #http: ProviderHttp;

  constructor(credentials: TelegramCredentials, config: TelegramConfig = {}, options: TelegramConnectorOptions = {}) {
    this.#token = credentials.botToken;
    this.#baseUrl = (config.baseUrl ?? TELEGRAM_DEFAULT_BASE_URL).replace(/(?<!\/)\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#http = new ProviderHttp(options.outbound);
  }

  async validate(): Promise<VerifyResult> {
    const me = await this.#call('getMe');
    // Every bot has a username (it is how users find it), so its absence means a broken answer.
    if (!hasFields(me, 'id', 'username') || typeof me.username !== 'string') throw invalidResponse('getMe');
    return { ok: true, identity: `@${me.username}` };
  }

  async sendMessage(message: OutboundMessage): Promise<SendResult> {
    const sent = await this.#call('sendMessage', { chat_id: message.to, text: message.text });
    if (!hasFields(sent, 'message_id', 'chat') || !hasFields(sent.chat, 'id')) {
      throw invalidResponse('sendMessage');
    }
    return { externalId: `${String(sent.chat.id)}:${String(sent.message_id)}` };
  }

  async close(): Promise<void> {
    this.#http.close();
  }

  /** GET without params, POST JSON with them; returns the `result` of an `{ok:true}` answer. */
  async #call(method: string, params?: Record<string, unknown>): Promise<unknown> {
    let status: number;
    let text: string;
    try {
      const response = await this.#http.request(`${this.#baseUrl}/bot${this.#token}/${method}`, {
        method: params ? 'POST' : 'GET',
        headers: params ? { 'content-type': 'application/json' } : undefined,
        body: params ? JSON.stringify(params) : undefined,
        timeoutMs: this.#timeoutMs,
      });
      status = response.status;
      text = response.text;
    } catch (error) {
      throw this.#withoutToken(classifyTelegramFailure({ error }));
    }
    const success = status >= 200 && status < 300 ? parseSuccess(text) : undefined;
    if (success) return success.result;
    throw this.#withoutToken(classifyTelegramFailure({ status, body: text }));
  }

  #withoutToken(error: ProviderError): ProviderError {
    return error.withoutSecrets([this.#token, '<bot token>']);
  }
}

function parseSuccess(text: string): { result: unknown } | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return hasFields(body, 'ok', 'result') && body.ok === true ? body : undefined;
  } catch {
    return undefined;
  }
}

function hasFields<K extends string>(value: unknown, ...fields: K[]): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && fields.every((field) => field in value);
}

function invalidResponse(method: string): ProviderError {
  return ProviderError.retryable('invalid_response', `Telegram answered ${method} with an unexpected result`);
}
