import {
  Connector,
  ConnectorContext,
  OutboundMessage,
  ProviderError,
  ProviderStatus,
  SendResult,
  VerifyResult,
} from '../connector.interface';
import { TWILIO_DEFAULT_BASE_URL, TwilioConfig, TwilioCredentials } from './twilio.credentials';
import { ProviderHttp } from '../provider-http';
import { classifyTwilioFailure } from './twilio.errors';
import { mapTwilioStatus } from './twilio.signature';

const DEFAULT_TIMEOUT_MS = 15_000;
const API_VERSION = '2010-04-01';

export interface TwilioConnectorOptions {
  /** Per-request timeout; 15 s unless a test needs it shorter. */
  timeoutMs?: number;
}

/** The StatusCallback URL Twilio posts delivery updates to (API.md, "Provider callbacks"). */
export function twilioStatusCallbackUrl(publicUrl: string, connectorId: string): string {
  return `${publicUrl.replace(/(?<!\/)\/+$/, '')}/api/v1/callbacks/twilio/${encodeURIComponent(connectorId)}`;
}

/** Talks to Twilio's Programmable Messaging REST API (2010-04-01) for one account. */
export class TwilioConnector implements Connector {
  readonly type = 'twilio';
  // ES private fields: the auth token stays out of util.inspect, JSON.stringify and logged objects.
  readonly #accountSid: string;
  readonly #authToken: string;
  readonly #authorization: string;
  readonly #sender: Record<string, string>;
  readonly #statusCallback: string | undefined;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #http: ProviderHttp;

  constructor(credentials: TwilioCredentials, config: TwilioConfig, context: ConnectorContext, options: TwilioConnectorOptions = {}) {
    this.#accountSid = credentials.accountSid;
    this.#authToken = credentials.authToken;
    this.#authorization = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
    // Credentials are validated to hold exactly one; were both stored, Twilio takes From from the service's pool.
    this.#sender = {
      ...(credentials.messagingServiceSid ? { MessagingServiceSid: credentials.messagingServiceSid } : {}),
      ...(credentials.from ? { From: credentials.from } : {}),
    };
    this.#statusCallback = context.publicUrl ? twilioStatusCallbackUrl(context.publicUrl, context.connectorId) : undefined;
    this.#baseUrl = (config.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/(?<!\/)\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#http = new ProviderHttp(context.outbound);
  }

  /** Fetches the Account resource: proves the SID and token and names the account. */
  async validate(): Promise<VerifyResult> {
    const account = await this.#call('GET', `/${API_VERSION}/Accounts/${encodeURIComponent(this.#accountSid)}.json`);
    if (typeof account.status === 'string' && account.status !== 'active') {
      throw ProviderError.permanent(`account_${account.status}`, `The Twilio account is ${account.status}`);
    }
    return { ok: true, identity: typeof account.friendly_name === 'string' ? account.friendly_name : this.#accountSid };
  }

  async sendMessage(message: OutboundMessage): Promise<SendResult> {
    if (Object.keys(this.#sender).length === 0) {
      throw ProviderError.permanent('no_sender', 'The Twilio connector has neither from nor messagingServiceSid');
    }
    const params: Record<string, string> = { To: message.to, Body: message.text, ...this.#sender };
    if (this.#statusCallback) params.StatusCallback = this.#statusCallback;
    const created = await this.#call('POST', this.#messagesPath('.json'), params);
    if (typeof created.sid !== 'string' || created.sid === '') throw invalidResponse('a Message without a sid');
    return { externalId: created.sid };
  }

  /** Fetches the Message resource; null for a status we do not track (e.g. `receiving`). */
  async getStatus(externalId: string): Promise<ProviderStatus | null> {
    const fetched = await this.#call('GET', this.#messagesPath(`/${encodeURIComponent(externalId)}.json`));
    if (typeof fetched.status !== 'string') throw invalidResponse('a Message without a status');
    return mapTwilioStatus(fetched.status);
  }

  async close(): Promise<void> {
    this.#http.close();
  }

  #messagesPath(suffix: string): string {
    return `/${API_VERSION}/Accounts/${encodeURIComponent(this.#accountSid)}/Messages${suffix}`;
  }

  /** One authenticated call; POST sends a form, as the 2010-04-01 API requires. Returns the JSON object. */
  async #call(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.#http.request(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: this.#authorization,
          accept: 'application/json',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
        timeoutMs: this.#timeoutMs,
      });
      status = response.status;
      retryAfter = response.header('retry-after');
      text = response.text;
    } catch (error) {
      throw this.#withoutSecrets(classifyTwilioFailure({ error }));
    }
    if (status >= 200 && status < 300) {
      const body = parseObject(text);
      if (body) return body;
      throw invalidResponse('a body that is not a JSON object');
    }
    throw this.#withoutSecrets(classifyTwilioFailure({ status, body: text, retryAfter }));
  }

  #withoutSecrets(error: ProviderError): ProviderError {
    return error.withoutSecrets([this.#authToken, '<secret>'], [this.#authorization.slice('Basic '.length), '<secret>']);
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function invalidResponse(what: string): ProviderError {
  return ProviderError.retryable('invalid_response', `Twilio answered with ${what}`);
}
