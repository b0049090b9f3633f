import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, waitForCount } from './loopback-server';

/**
 * A loopback Telegram Bot API server written from https://core.telegram.org/bots/api:
 * every answer is `{ok:true,result}` or `{ok:false,error_code,description,parameters?}` with the
 * HTTP status equal to error_code; parameters come from the query string, JSON or a urlencoded form.
 */

export type TelegramFakeFailure = '429' | '500' | '502' | 'drop';

export interface TelegramFakeOptions {
  tokens?: string[];
  /** Delay before every answer, in ms (also settable later through `fake.delayMs`). */
  delayMs?: number;
}

export interface TelegramFakeSent {
  token: string;
  /** The chat_id as the client sent it (`42`, `@news`). */
  chatId: string;
  text: string;
  messageId: number;
  at: Date;
}

type Params = Record<string, unknown>;
type Answer = { status: number; body: unknown; contentType?: string } | 'drop';

const MAX_TEXT_LENGTH = 4096;
const METHODS = ['getMe', 'sendMessage'] as const;
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export class TelegramFake {
  /** `http://127.0.0.1:<port>`, the `baseUrl` to give a Telegram connector; stays valid after close. */
  readonly baseUrl: string;
  readonly sent: TelegramFakeSent[] = [];
  /** How many requests each Bot API method received, failed ones included. */
  readonly requests: Record<string, number> = {};
  delayMs: number;

  private readonly tokens = new Set<string>();
  private readonly blocked = new Set<string>();
  private readonly unknown = new Set<string>();
  private readonly migrated = new Map<string, number>();
  private readonly channelIds = new Map<string, number>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly failures: { kind: TelegramFakeFailure; retryAfter: number }[] = [];

  private constructor(
    private readonly http: LoopbackServer,
    options: TelegramFakeOptions,
  ) {
    this.baseUrl = http.baseUrl;
    this.delayMs = options.delayMs ?? 0;
    for (const token of options.tokens ?? []) this.addToken(token);
    http.serve((req, res) => this.handle(req, res));
  }

  static async start(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
    return new TelegramFake(await LoopbackServer.start(), options);
  }

  /** Registers a bot token (a fresh realistic one if none is given) and returns it. */
  addToken(token = `${randomInt(100_000, 2_000_000_000)}:${randomBytes(26).toString('base64url')}`): string {
    this.tokens.add(token);
    return token;
  }

  blockChat(chatId: string | number): void {
    this.blocked.add(String(chatId));
  }

  unknownChat(chatId: string | number): void {
    this.unknown.add(String(chatId));
  }

  /** A basic group that became a supergroup: sends to it fail with `parameters.migrate_to_chat_id`. */
  migrateChat(chatId: string | number, newChatId: number): void {
    this.migrated.set(String(chatId), newChatId);
  }

  /** The next `count` requests (any method) fail this way; `retryAfter` is in seconds, for '429'. */
  failNext(kind: TelegramFakeFailure, count = 1, opts: { retryAfter?: number } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind, retryAfter: opts.retryAfter ?? 1 });
  }

  waitForSent(n: number, timeoutMs = 5_000): Promise<TelegramFakeSent[]> {
    return waitForCount(this.sent, n, timeoutMs, 'Telegram fake');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    // Bot API method names are case-insensitive; count them under their documented spelling.
    const method = match ? (METHODS.find((m) => m.toLowerCase() === match[2].toLowerCase()) ?? match[2]) : url.pathname;
    this.requests[method] = (this.requests[method] ?? 0) + 1;
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };

    // Taken on arrival, so a request still waiting out `delayMs` cannot steal the next one's failure.
    const failure = this.injectedFailure();
    if (this.delayMs > 0) await this.http.pause(this.delayMs);
    const answer = failure ?? (match ? this.route(match[1], method, params) : notFound());
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' }).end(text);
  }

  private injectedFailure(): Answer | undefined {
    const failure = this.failures.shift();
    switch (failure?.kind) {
      case undefined:
        return undefined;
      case '429':
        return error(429, `Too Many Requests: retry after ${failure.retryAfter}`, { retry_after: failure.retryAfter });
      case '500':
        return error(500, 'Internal Server Error');
      case '502': // Telegram's nginx front answers this one, in HTML
        return { status: 502, contentType: 'text/html', body: NGINX_502 };
      case 'drop':
        return 'drop';
    }
  }

  private route(token: string, method: string, params: Params): Answer {
    if (!this.tokens.has(token)) return error(401, 'Unauthorized');
    switch (method) {
      case 'getMe':
        return ok(botUser(token));
      case 'sendMessage':
        return this.sendMessage(token, params);
      default:
        return notFound();
    }
  }

  private sendMessage(token: string, params: Params): Answer {
    const chatId = params.chat_id === undefined || params.chat_id === null ? '' : shown(params.chat_id);
    const text = typeof params.text === 'string' ? params.text : '';
    if (chatId === '') return error(400, 'Bad Request: chat_id is empty');
    if (text.trim() === '') return error(400, 'Bad Request: message text is empty');
    if (text.length > MAX_TEXT_LENGTH) return error(400, 'Bad Request: message is too long');
    const migratedTo = this.migrated.get(chatId);
    if (migratedTo !== undefined) {
      const description = 'Bad Request: group chat was upgraded to a supergroup chat';
      return error(400, description, { migrate_to_chat_id: migratedTo });
    }
    if (this.unknown.has(chatId)) return error(400, 'Bad Request: chat not found');
    if (this.blocked.has(chatId)) return error(403, 'Forbidden: bot was blocked by the user');
    const chat = this.resolveChat(chatId);
    if (!chat) return error(400, 'Bad Request: chat not found');

    const messageId = (this.lastMessageId.get(chat.id) ?? 0) + 1;
    this.lastMessageId.set(chat.id, messageId);
    this.sent.push({ token, chatId, text, messageId, at: new Date() });
    return ok({ message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text });
  }

  /** `@username` is a public channel with a stable negative -100… id; integers are chats as they are. */
  private resolveChat(chatId: string): { id: number; type: 'private' | 'group' | 'channel' } | undefined {
    if (/^@[A-Za-z]\w{3,}$/.test(chatId)) {
      const username = chatId.toLowerCase();
      const id = this.channelIds.get(username) ?? -(1_000_000_000_000 + this.channelIds.size + 1);
      this.channelIds.set(username, id);
      return { id, type: 'channel' };
    }
    if (!/^-?\d+$/.test(chatId)) return undefined;
    const id = Number(chatId);
    return { id, type: id > 0 ? 'private' : 'group' };
  }
}

function ok(result: unknown): Answer {
  return { status: 200, body: { ok: true, result } };
}

function error(code: number, description: string, parameters?: Params): Answer {
  return { status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } };
}

function notFound(): Answer {
  return error(404, 'Not Found');
}

function botUser(token: string): Params {
  const id = Number(token.split(':')[0]);
  return { id, is_bot: true, first_name: 'MessageJS Fake Bot', username: `fake_${id}_bot` };
}

async function readParams(req: IncomingMessage): Promise<Params> {
  const raw = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (raw === '') return {};
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Params) : {};
    } catch {
      return {};
    }
  }
  return {};
}

/** A JSON value as text: strings and numbers as they are, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
