import { Connector, ConnectorContext, OutboundMessage, ProviderError, SendResult, VerifyResult } from '../connector.interface';
import { WHATSAPP_DEFAULT_API_VERSION, WHATSAPP_DEFAULT_BASE_URL, WhatsAppConfig, WhatsAppCredentials } from './whatsapp.credentials';
import { ProviderHttp, ProviderResponse } from '../provider-http';
import { classifyWhatsAppFailure } from './whatsapp.errors';
import { toWhatsAppDigits } from './whatsapp.recipient';

const DEFAULT_TIMEOUT_MS = 15_000;

export interface WhatsAppConnectorOptions {
  /** Per-request timeout; 15 s unless a test needs it shorter. */
  timeoutMs?: number;
}

/** Talks to the WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api) for one business number. */
export class WhatsAppConnector implements Connector {
  readonly type = 'whatsapp';
  // ES private fields: the token stays out of util.inspect, JSON.stringify and logged objects.
  readonly #accessToken: string;
  readonly #phoneNumberUrl: string;
  readonly #timeoutMs: number;
  readonly #http: ProviderHttp;

  constructor(
    credentials: WhatsAppCredentials,
    config: WhatsAppConfig = {},
    // Status arrives by webhook at a URL set in the Meta dashboard: only the outbound policy is needed.
    context?: ConnectorContext,
    options: WhatsAppConnectorOptions = {},
  ) {
    this.#accessToken = credentials.accessToken;
    const baseUrl = (config.baseUrl ?? WHATSAPP_DEFAULT_BASE_URL).replace(/(?<!\/)\/+$/, '');
    const version = config.apiVersion ?? WHATSAPP_DEFAULT_API_VERSION;
    this.#phoneNumberUrl = `${baseUrl}/${version}/${encodeURIComponent(credentials.phoneNumberId)}`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#http = new ProviderHttp(context?.outbound);
  }

  async validate(): Promise<VerifyResult> {
    const phone = await this.#call('GET', '?fields=display_phone_number,verified_name');
    if (!isRecord(phone) || typeof phone.display_phone_number !== 'string' || typeof phone.verified_name !== 'string') {
      throw invalidResponse('the phone number lookup');
    }
    return { ok: true, identity: `${phone.display_phone_number} (${phone.verified_name})` };
  }

  async sendMessage(message: OutboundMessage): Promise<SendResult> {
    const sent = await this.#call('POST', '/messages', {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: toWhatsAppDigits(message.to),
      ...content(message),
    });
    const [first] = isRecord(sent) && Array.isArray(sent.messages) ? (sent.messages as unknown[]) : [];
    if (!isRecord(first) || typeof first.id !== 'string') throw invalidResponse('the send');
    return { externalId: first.id };
  }

  async close(): Promise<void> {
    this.#http.close();
  }

  /** Calls the phone number node (`path` is appended to it); returns the parsed 2xx JSON body. */
  async #call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<unknown> {
    let response: ProviderResponse;
    try {
      response = await this.#http.request(`${this.#phoneNumberUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#accessToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      throw this.#withoutToken(classifyWhatsAppFailure({ error }));
    }
    if (response.status >= 200 && response.status < 300) return parseJson(response.text);
    const failure = { status: response.status, body: response.text, retryAfter: response.header('retry-after') };
    throw this.#withoutToken(classifyWhatsAppFailure(failure));
  }

  #withoutToken(error: ProviderError): ProviderError {
    return error.withoutSecrets([this.#accessToken, '<access token>']);
  }
}

/** Free text, or an approved template when the message names one (the only way to open a conversation). */
function content(message: OutboundMessage): Record<string, unknown> {
  const template = message.whatsappTemplate;
  if (!template) return { type: 'text', text: { preview_url: false, body: message.text } };
  const parameters = template.parameters.map((text) => ({ type: 'text', text }));
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}),
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidResponse(what: string): ProviderError {
  return ProviderError.retryable('invalid_response', `WhatsApp answered ${what} with an unexpected result`);
}
