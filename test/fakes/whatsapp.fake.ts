import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, waitForCount } from './loopback-server';

/**
 * A loopback WhatsApp Cloud API (Graph API) server written from
 * https://developers.facebook.com/docs/whatsapp/cloud-api: Bearer tokens, phone number nodes,
 * `POST /{version}/{phone-number-id}/messages` for text and template messages, and Graph's error
 * envelope `{error:{message,type,code,error_subcode?,error_data?,fbtrace_id}}` with Meta's codes.
 */

export type WhatsAppFakeFailure = '130429' | '131056' | '131047' | '131026' | '500' | 'drop';

export interface WhatsAppFakeOptions {
  /** Delay before every answer, in ms (also settable later through `fake.delayMs`). */
  delayMs?: number;
  /** Delay after handling, before answering, in ms: a message is sent (its wamid known) while the client waits. */
  replyDelayMs?: number;
}

export interface WhatsAppFakePhoneNumber {
  phoneNumberId: string;
  /** The system-user token allowed to use this number. */
  accessToken: string;
  /** As WhatsApp Manager shows it, e.g. `+1 415-555-0142`. */
  displayPhoneNumber: string;
  verifiedName: string;
}

export interface WhatsAppFakeSent {
  phoneNumberId: string;
  /** The recipient as sent on the wire: digits, no plus. */
  to: string;
  type: 'text' | 'template';
  text?: string;
  template?: { name: string; language: string; parameters: string[] };
  wamid: string;
  at: Date;
}

/** Every request as received, failed ones included, for assertions on the wire format. */
export interface WhatsAppFakeRequest {
  method: string;
  path: string;
  authorization?: string;
  body: unknown;
}

export interface WhatsAppFakeStatusError {
  code: number;
  title: string;
  message?: string;
  details: string;
}

export interface WhatsAppFakeStatus {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** The customer's wa_id (digits). */
  recipient: string;
  errors?: WhatsAppFakeStatusError[];
  /** When the status changed; now by default. */
  timestamp?: Date;
}

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json; headers?: OutgoingHttpHeaders } | 'drop';
interface GraphError {
  message: string;
  code: number;
  type?: string;
  subcode?: number;
  details?: string;
}

const MAX_TEXT_LENGTH = 4096;
const PHONE_NUMBER_FIELDS = ['id', 'display_phone_number', 'verified_name', 'quality_rating', 'code_verification_status'];
const ERROR_CODES_URL = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/** Meta's answers for each injectable failure, from the Cloud API error-code reference. */
const INJECTED: Record<Exclude<WhatsAppFakeFailure, 'drop'>, { status: number } & GraphError> = {
  '130429': {
    status: 400,
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  },
  '131056': {
    status: 400,
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  '131047': {
    status: 400,
    code: 131047,
    message: '(#131047) Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  '131026': {
    status: 400,
    code: 131026,
    message: '(#131026) Message Undeliverable.',
    details:
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy.',
  },
  '500': {
    status: 500,
    code: 131000,
    message: '(#131000) Something went wrong',
    details: 'Message failed to send due to an unknown error.',
  },
};

export class WhatsAppFake {
  /** `http://127.0.0.1:<port>`, the `baseUrl` to give a WhatsApp connector; stays valid after close. */
  readonly baseUrl: string;
  readonly sent: WhatsAppFakeSent[] = [];
  readonly requests: WhatsAppFakeRequest[] = [];
  delayMs: number;
  replyDelayMs: number;
  /** The WhatsApp Business Account id that webhook envelopes carry as `entry[].id`. */
  readonly businessAccountId = graphId();

  private readonly numbers = new Map<string, WhatsAppFakePhoneNumber>();
  private readonly tokens = new Set<string>();
  /** `name|language` → number of body variables. */
  private readonly templates = new Map<string, number>();
  private readonly failures: { kind: WhatsAppFakeFailure; retryAfter?: number }[] = [];

  private constructor(
    private readonly http: LoopbackServer,
    options: WhatsAppFakeOptions,
  ) {
    this.baseUrl = http.baseUrl;
    this.delayMs = options.delayMs ?? 0;
    this.replyDelayMs = options.replyDelayMs ?? 0;
    http.serve((req, res) => this.handle(req, res));
  }

  static async start(options: WhatsAppFakeOptions = {}): Promise<WhatsAppFake> {
    return new WhatsAppFake(await LoopbackServer.start(), options);
  }

  /** Registers a business phone number and the token that may use it (a fresh realistic one by default). */
  addPhoneNumber(options: Partial<Omit<WhatsAppFakePhoneNumber, 'phoneNumberId'>> = {}): WhatsAppFakePhoneNumber {
    const number: WhatsAppFakePhoneNumber = {
      phoneNumberId: graphId(),
      accessToken:
        options.accessToken ??
        `EAA${randomBytes(120)
          .toString('base64')
          .replace(/[^A-Za-z0-9]/g, '')}`,
      displayPhoneNumber: options.displayPhoneNumber ?? `+1 415-555-${String(randomInt(100, 200)).padStart(4, '0')}`,
      verifiedName: options.verifiedName ?? 'MessageJS Test',
    };
    this.numbers.set(number.phoneNumberId, number);
    this.tokens.add(number.accessToken);
    return number;
  }

  /** An approved template with `paramCount` body variables ({{1}}…{{n}}) in `language`. */
  addTemplate(name: string, paramCount: number, language = 'en_US'): void {
    this.templates.set(`${name}|${language}`, paramCount);
  }

  /** The next `count` requests (any endpoint) fail this way; `retryAfter` (seconds) adds a Retry-After header. */
  failNext(kind: WhatsAppFakeFailure, count = 1, opts: { retryAfter?: number } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind, retryAfter: opts.retryAfter });
  }

  waitForSent(n: number, timeoutMs = 5_000): Promise<WhatsAppFakeSent[]> {
    return waitForCount(this.sent, n, timeoutMs, 'WhatsApp fake');
  }

  /**
   * A status notification exactly as Meta POSTs it to the webhook, and its `X-Hub-Signature-256`
   * header value. The business number is the one that sent `wamid` (else the first registered).
   */
  statusWebhook(update: WhatsAppFakeStatus, appSecret: string): { body: string; signature: string } {
    const sender = this.sent.find((s) => s.wamid === update.wamid);
    const number = (sender && this.numbers.get(sender.phoneNumberId)) ?? this.numbers.values().next().value;
    if (!number) throw new Error('WhatsApp fake: add a phone number before building a webhook');
    const timestamp = String(Math.floor((update.timestamp ?? new Date()).getTime() / 1000));
    // Meta bills (and so reports a conversation) on sent/delivered; read and failed carry neither.
    const billed = update.status === 'sent' || update.status === 'delivered';
    const category = sender?.type === 'template' ? 'utility' : 'service';
    const status: Json = {
      id: update.wamid,
      status: update.status,
      timestamp,
      recipient_id: update.recipient,
      ...(billed
        ? {
            conversation: {
              id: randomBytes(16).toString('hex'),
              ...(update.status === 'sent' ? { expiration_timestamp: String(Number(timestamp) + 86_400) } : {}),
              origin: { type: category },
            },
            pricing: { billable: true, pricing_model: 'CBP', category },
          }
        : {}),
      ...(update.errors
        ? {
            errors: update.errors.map((e) => ({
              code: e.code,
              title: e.title,
              message: e.message ?? e.title,
              error_data: { details: e.details },
              href: ERROR_CODES_URL,
            })),
          }
        : {}),
    };
    const envelope = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.businessAccountId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: number.displayPhoneNumber.replace(/\D/g, ''),
                  phone_number_id: number.phoneNumberId,
                },
                statuses: [status],
              },
              field: 'messages',
            },
          ],
        },
      ],
    };
    const body = JSON.stringify(envelope);
    return { body, signature: `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body = parseJson(raw);
    const authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization, body });

    // Taken on arrival, so a request still waiting out `delayMs` cannot steal the next one's failure.
    const failure = this.injectedFailure();
    if (this.delayMs > 0) await this.http.pause(this.delayMs);
    const answer = failure ?? this.route(req.method ?? 'GET', url, authorization, body, raw);
    if (this.replyDelayMs > 0) await this.http.pause(this.replyDelayMs);
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res
      .writeHead(answer.status, {
        'content-type': 'application/json; charset=UTF-8',
        'x-fb-trace-id': fbtraceId(),
        ...answer.headers,
      })
      .end(JSON.stringify(answer.body));
  }

  private injectedFailure(): Answer | undefined {
    const failure = this.failures.shift();
    if (!failure) return undefined;
    if (failure.kind === 'drop') return 'drop';
    const { status, ...error } = INJECTED[failure.kind];
    const answer = graphError(status, error);
    return failure.retryAfter === undefined ? answer : { ...answer, headers: { 'retry-after': String(failure.retryAfter) } };
  }

  private route(method: string, url: URL, authorization: string | undefined, body: unknown, raw: string): Answer {
    const match = /^\/v\d+\.\d+\/([^/]+)(\/messages)?\/?$/.exec(url.pathname);
    if (!match) return graphError(400, { code: 2500, message: `Unknown path components: ${url.pathname}` });

    // Graph takes the token as a Bearer header or as the access_token query parameter.
    const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? url.searchParams.get('access_token');
    if (!bearer) return graphError(400, { code: 104, message: 'An access token is required to request this resource.' });
    if (!this.tokens.has(bearer)) {
      const message = 'Invalid OAuth access token - Cannot parse access token';
      const answer = graphError(401, { code: 190, message });
      return { ...answer, headers: { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` } };
    }

    const [, objectId, messagesEdge] = match;
    const number = this.numbers.get(objectId);
    const verb = method.toLowerCase();
    // An id the token cannot see reads exactly like one that does not exist.
    const wrongMethod = messagesEdge ? method !== 'POST' : method !== 'GET';
    if (!number || number.accessToken !== bearer || wrongMethod) {
      return graphError(400, {
        type: 'GraphMethodException',
        code: 100,
        subcode: 33,
        message:
          `Unsupported ${verb} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing ` +
          'permissions, or does not support this operation. Please read the Graph API documentation at ' +
          'https://developers.facebook.com/docs/graph-api',
      });
    }
    if (!messagesEdge) return this.phoneNumber(number, url.searchParams.get('fields'));
    if (raw !== '' && body === undefined) return invalidParameter('Request body must be valid JSON.');
    return this.sendMessage(number, isRecord(body) ? body : {});
  }

  private phoneNumber(number: WhatsAppFakePhoneNumber, fieldsParam: string | null): Answer {
    const all: Json = {
      verified_name: number.verifiedName,
      code_verification_status: 'VERIFIED',
      display_phone_number: number.displayPhoneNumber,
      quality_rating: 'GREEN',
      id: number.phoneNumberId,
    };
    if (!fieldsParam) return { status: 200, body: all };
    const fields = fieldsParam.split(',').map((field) => field.trim());
    const unknown = fields.find((field) => !PHONE_NUMBER_FIELDS.includes(field));
    if (unknown) {
      const message = `(#100) Tried accessing nonexisting field (${unknown}) on node type (WhatsAppBusinessPhoneNumber)`;
      return graphError(400, { code: 100, message });
    }
    // Graph always returns the id, whatever fields were asked for.
    return { status: 200, body: Object.fromEntries([...fields, 'id'].map((field) => [field, all[field]])) };
  }

  private sendMessage(number: WhatsAppFakePhoneNumber, params: Json): Answer {
    if (params.messaging_product === undefined) return requiredParameter('messaging_product');
    if (params.messaging_product !== 'whatsapp') {
      return invalidParameter(`Param messaging_product must be one of {WHATSAPP} - got "${shown(params.messaging_product)}".`);
    }
    if (params.to === undefined) return requiredParameter('to');
    // Meta tolerates a plus and formatting here; the fake is stricter so the connector's digits-only form is pinned.
    const to = shown(params.to);
    if (!/^\d{5,15}$/.test(to)) return invalidParameter('Param to must be a phone number in digits only, without + or formatting.');

    const type = params.type ?? 'text';
    let sent: Omit<WhatsAppFakeSent, 'phoneNumberId' | 'to' | 'wamid' | 'at'>;
    if (type === 'text') {
      const text = isRecord(params.text) ? params.text.body : undefined;
      if (typeof text !== 'string' || text.trim() === '') return requiredParameter("text['body']");
      if ([...text].length > MAX_TEXT_LENGTH) {
        return invalidParameter(`Param text['body'] must be at most ${MAX_TEXT_LENGTH} characters long.`);
      }
      sent = { type: 'text', text };
    } else if (type === 'template') {
      const checked = this.checkTemplate(params.template);
      if ('status' in checked) return checked;
      sent = { type: 'template', template: checked };
    } else {
      return invalidParameter(`Param type must be one of {TEXT, TEMPLATE} in this fake - got "${shown(type)}".`);
    }

    const wamid = `wamid.${Buffer.concat([Buffer.from(to), randomBytes(18)]).toString('base64')}`;
    this.sent.push({ phoneNumberId: number.phoneNumberId, to, wamid, at: new Date(), ...sent });
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
      },
    };
  }

  private checkTemplate(template: unknown): Exclude<Answer, 'drop'> | NonNullable<WhatsAppFakeSent['template']> {
    if (!isRecord(template) || typeof template.name !== 'string') return requiredParameter("template['name']");
    const language = isRecord(template.language) ? template.language.code : undefined;
    if (typeof language !== 'string') return requiredParameter("template['language']");
    const expected = this.templates.get(`${template.name}|${language}`);
    if (expected === undefined) {
      return graphError(400, {
        code: 132001,
        message: '(#132001) Template name does not exist in the translation',
        details: `template name (${template.name}) does not exist in ${language}`,
      });
    }
    const components = Array.isArray(template.components) ? template.components : [];
    const bodyComponent = components.find((c) => isRecord(c) && c.type === 'body');
    const rawParameters = isRecord(bodyComponent) && Array.isArray(bodyComponent.parameters) ? bodyComponent.parameters : [];
    const parameters = rawParameters.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : ''));
    if (parameters.length !== expected) {
      return graphError(400, {
        code: 132000,
        message: '(#132000) Number of parameters does not match the expected number of params',
        details: `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
      });
    }
    return { name: template.name, language, parameters };
  }
}

function graphError(status: number, { message, code, type = 'OAuthException', subcode, details }: GraphError): Exclude<Answer, 'drop'> {
  const error: Json = {
    message,
    type,
    code,
    ...(subcode !== undefined ? { error_subcode: subcode } : {}),
    ...(details !== undefined ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
    fbtrace_id: fbtraceId(),
  };
  return { status, body: { error } };
}

function requiredParameter(name: string): Exclude<Answer, 'drop'> {
  return graphError(400, { code: 100, message: `(#100) The parameter ${name} is required.` });
}

function invalidParameter(details: string): Exclude<Answer, 'drop'> {
  return graphError(400, { code: 100, message: '(#100) Invalid parameter', details });
}

/** Graph object ids are 15–16 digit numbers. */
function graphId(): string {
  return `1${String(randomInt(0, 10 ** 14)).padStart(14, '0')}`;
}

function fbtraceId(): string {
  return randomBytes(17).toString('base64url').slice(0, 23);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON value as text: strings and numbers as they are, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
