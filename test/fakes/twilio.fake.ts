import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, waitForCount } from './loopback-server';

/**
 * A loopback Twilio REST API (2010-04-01) written from Twilio's docs and its OpenAPI description
 * (libs/connectors/src/twilio/fixtures/twilio_api_v2010.messages.json): HTTP Basic auth with AccountSid:AuthToken, form-encoded
 * POST bodies, JSON answers, errors as `{code, message, more_info, status}` with the HTTP status.
 * Serves FetchAccount, CreateMessage and FetchMessage, and plays Twilio's side of StatusCallback.
 */

export type TwilioFakeFailure = '429' | '20429' | '21211' | '21610' | '21614' | '500' | 'drop';

/** Twilio's MessageStatus values (message_enum_status in the OpenAPI description). */
export type TwilioMessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'accepted'
  | 'scheduled'
  | 'read'
  | 'partially_delivered'
  | 'canceled';

export interface TwilioFakeAccount {
  accountSid: string;
  authToken: string;
  friendlyName: string;
  status: 'active' | 'suspended' | 'closed';
}

export interface TwilioFakeRequest {
  method: string;
  /** The path without the query string, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The form parameters exactly as the client sent them (empty unless the body was a form). */
  params: Record<string, string>;
  rawBody: string;
}

export interface TwilioFakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** Null until a Messaging Service picks a sender from its pool. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: TwilioMessageStatus;
  errorCode: number | null;
  numSegments: number;
  statusCallback: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface TwilioFakeOptions {
  /** Delay before every answer, in ms (also settable later through `fake.delayMs`). */
  delayMs?: number;
  /** The number a Messaging Service picks from its sender pool. */
  poolSender?: string;
  /** Delay after handling, before answering, in ms: the message exists (and can get callbacks) while the client waits. */
  replyDelayMs?: number;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'drop';

const API_VERSION = '2010-04-01';
const MAX_BODY_LENGTH = 1600;
const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER = /^(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const SHORT_CODE = /^\d{5,6}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
// GSM 03.38: the basic set counts one septet, the extension table two (behind an escape).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

export class TwilioFake {
  /** `http://127.0.0.1:<port>`, the `baseUrl` to give a Twilio connector; stays valid after close. */
  readonly baseUrl: string;
  readonly requests: TwilioFakeRequest[] = [];
  /** Messages Twilio accepted (201), oldest first. */
  readonly sent: TwilioFakeMessage[] = [];
  delayMs: number;
  replyDelayMs: number;

  private readonly accounts = new Map<string, TwilioFakeAccount>();
  private readonly messages = new Map<string, TwilioFakeMessage>();
  private readonly failures: { kind: TwilioFakeFailure; retryAfter: number }[] = [];
  private readonly poolSender: string;

  private constructor(
    private readonly http: LoopbackServer,
    options: TwilioFakeOptions,
  ) {
    this.baseUrl = http.baseUrl;
    this.delayMs = options.delayMs ?? 0;
    this.replyDelayMs = options.replyDelayMs ?? 0;
    this.poolSender = options.poolSender ?? '+14155552345';
    http.serve((req, res) => this.handle(req, res));
  }

  static async start(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
    return new TwilioFake(await LoopbackServer.start(), options);
  }

  /** Opens an account with a fresh SID and 32-hex auth token, as Twilio issues them. */
  addAccount(options: Partial<Pick<TwilioFakeAccount, 'friendlyName' | 'status'>> = {}): TwilioFakeAccount {
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const account: TwilioFakeAccount = {
      accountSid,
      authToken: randomBytes(16).toString('hex'),
      friendlyName: options.friendlyName ?? `MessageJS fake ${accountSid.slice(-6)}`,
      status: options.status ?? 'active',
    };
    this.accounts.set(accountSid, account);
    return account;
  }

  /** The next `count` requests (any endpoint) fail this way; `retryAfter` is in seconds, for '429'. */
  failNext(kind: TwilioFakeFailure, count = 1, opts: { retryAfter?: number } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind, retryAfter: opts.retryAfter ?? 1 });
  }

  waitForSent(n: number, timeoutMs = 5_000): Promise<TwilioFakeMessage[]> {
    return waitForCount(this.sent, n, timeoutMs, 'Twilio fake');
  }

  message(sid: string): TwilioFakeMessage | undefined {
    return this.messages.get(sid);
  }

  /** Moves a message along, as the carrier would; a Messaging Service picks its sender on the way. */
  setStatus(sid: string, status: TwilioMessageStatus, opts: { errorCode?: number } = {}): TwilioFakeMessage {
    const message = this.messages.get(sid);
    if (!message) throw new Error(`Twilio fake: no message ${sid}`);
    const now = new Date();
    message.status = status;
    message.errorCode = opts.errorCode ?? null;
    message.dateUpdated = now;
    if (!['queued', 'accepted', 'scheduled', 'canceled'].includes(status)) {
      message.from ??= this.poolSender;
      message.dateSent ??= now;
      if (message.numSegments === 0) message.numSegments = segments(message.body);
    }
    return message;
  }

  /**
   * Moves the message to `status` and returns the form parameters Twilio POSTs to its StatusCallback
   * (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
   */
  statusCallback(sid: string, status: TwilioMessageStatus, opts: { errorCode?: number } = {}): Record<string, string> {
    const message = this.setStatus(sid, status, opts);
    return {
      AccountSid: message.accountSid,
      ApiVersion: API_VERSION,
      From: message.from ?? this.poolSender,
      MessageSid: message.sid,
      MessageStatus: status,
      ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
      ...(opts.errorCode !== undefined ? { ErrorCode: String(opts.errorCode) } : {}),
    };
  }

  /**
   * Plays Twilio: POSTs the StatusCallback form to the URL the message was created with, signed
   * with the account's auth token in `X-Twilio-Signature`. `via` sends it to another origin (as a
   * reverse proxy in front of the platform would) while the signature still covers the original URL.
   */
  async deliverStatusCallback(
    sid: string,
    status: TwilioMessageStatus,
    opts: { errorCode?: number; via?: string } = {},
  ): Promise<{ status: number; url: string; params: Record<string, string>; signature: string }> {
    const url = this.messages.get(sid)?.statusCallback;
    if (!url) throw new Error(`Twilio fake: message ${sid} has no StatusCallback`);
    const params = this.statusCallback(sid, status, opts);
    const { authToken } = this.accounts.get(params.AccountSid) as TwilioFakeAccount;
    const signed = Object.keys(params)
      .sort()
      .reduce((data, name) => data + name + params[name], url);
    const signature = createHmac('sha1', authToken).update(signed).digest('base64');
    const target = opts.via ? `${opts.via.replace(/(?<!\/)\/+$/, '')}${new URL(url).pathname}${new URL(url).search}` : url;
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    await response.arrayBuffer();
    return { status: response.status, url, params, signature };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const rawBody = await readBody(req);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    // The 2010-04-01 API reads form bodies only; anything else reaches it as no parameters at all.
    const params = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
    this.requests.push({ method: req.method ?? 'GET', path, headers: { ...req.headers }, params, rawBody });

    // Taken on arrival, so a request still waiting out `delayMs` cannot steal the next one's failure.
    const failure = this.injectedFailure(params);
    if (this.delayMs > 0) await this.http.pause(this.delayMs);
    const answer = failure ?? this.route(req, path, params);
    if (this.replyDelayMs > 0) await this.http.pause(this.replyDelayMs);
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res
      .writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'twilio-request-id': `RQ${randomBytes(16).toString('hex')}`,
        ...answer.headers,
      })
      .end(JSON.stringify(answer.body));
  }

  private injectedFailure(params: Record<string, string>): Answer | undefined {
    const failure = this.failures.shift();
    const to = params.To ?? '';
    switch (failure?.kind) {
      case undefined:
        return undefined;
      case '429':
        return { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': String(failure.retryAfter) } };
      case '20429':
        return twilioError(429, 20429, 'Too Many Requests');
      case '21211':
        return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      case '21610':
        return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
      case '21614':
        return twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`);
      case '500':
        return twilioError(500, 20500, 'An internal server error has occurred');
      case 'drop':
        return 'drop';
    }
  }

  private route(req: IncomingMessage, path: string, params: Record<string, string>): Answer {
    const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(path);
    const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    const message = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(path);
    const accountSid = (account ?? messages ?? message)?.[1];
    if (!accountSid) return notFound(path);
    const authenticated = this.authenticate(req.headers.authorization);
    if (!authenticated || authenticated.accountSid !== decodeURIComponent(accountSid)) {
      return { ...twilioError(401, 20003, 'Authenticate'), headers: { 'www-authenticate': 'Basic realm="Twilio API"' } };
    }
    if (account && req.method === 'GET') return { status: 200, body: accountResource(authenticated) };
    if (messages && req.method === 'POST') return this.createMessage(authenticated, params);
    if (message && req.method === 'GET') {
      const found = this.messages.get(decodeURIComponent(message[2]));
      return found && found.accountSid === authenticated.accountSid ? { status: 200, body: messageResource(found) } : notFound(path);
    }
    return notFound(path);
  }

  private authenticate(header: string | undefined): TwilioFakeAccount | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const account = this.accounts.get(decoded.slice(0, colon));
    return colon > 0 && account?.authToken === decoded.slice(colon + 1) ? account : undefined;
  }

  /** CreateMessage, with the documented validation errors in the order a client meets them. */
  private createMessage(account: TwilioFakeAccount, params: Record<string, string>): Answer {
    const { To: to, From: from, MessagingServiceSid: serviceSid, Body: body = '' } = params;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !serviceSid) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from) && !SHORT_CODE.test(from)) {
      return twilioError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    }
    if (serviceSid && !MESSAGING_SERVICE_SID.test(serviceSid)) {
      return twilioError(400, 21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
    }
    if (body === '' && !params.MediaUrl && !params.ContentSid) return twilioError(400, 21602, 'Message body is required.');
    if ([...body].length > MAX_BODY_LENGTH) {
      return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }

    const now = new Date();
    const message: TwilioFakeMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid: account.accountSid,
      to,
      from: from ?? null,
      messagingServiceSid: serviceSid ?? null,
      body,
      status: 'queued',
      errorCode: null,
      // A Messaging Service has not picked its sender yet, so Twilio reports 0 segments at first.
      numSegments: from ? segments(body) : 0,
      statusCallback: params.StatusCallback ?? null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
    this.messages.set(message.sid, message);
    this.sent.push(message);
    return { status: 201, body: messageResource(message) };
  }
}

function twilioError(status: number, code: number, message: string): { status: number; body: unknown } {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function notFound(path: string): Answer {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

/** Twilio's dates are RFC 2822 in GMT: `Thu, 24 Aug 2023 05:01:45 +0000`. */
function rfc2822(date: Date | null): string | null {
  return date ? date.toUTCString().replace(/GMT$/, '+0000') : null;
}

/** SMS segments: 160 GSM-7 septets or 70 UCS-2 units in one; 153 / 67 per part once concatenated. */
function segments(body: string): number {
  const chars = [...body];
  if (chars.every((c) => GSM_BASIC.includes(c) || GSM_EXTENSION.includes(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXTENSION.includes(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  const units = body.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

function accountResource(account: TwilioFakeAccount): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${account.accountSid}`;
  const created = rfc2822(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
  return {
    auth_token: account.authToken,
    date_created: created,
    date_updated: created,
    friendly_name: account.friendlyName,
    owner_account_sid: account.accountSid,
    sid: account.accountSid,
    status: account.status,
    subresource_uris: { messages: `${base}/Messages.json`, balance: `${base}/Balance.json` },
    type: 'Full',
    uri: `${base}.json`,
  };
}

function messageResource(message: TwilioFakeMessage): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: rfc2822(message.dateSent),
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: message.errorCode === null ? null : `Error ${message.errorCode}`,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}
