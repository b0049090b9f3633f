import { MessageJSError, NETWORK_ERROR, TIMEOUT, type Problem } from './errors';
import type { AcceptedMessage, ListParams, Message, MessageJSOptions, MessageWithEvents, Page, SendParams } from './types';

interface Config {
  /** Origin + `/api/v1`. */
  u: string;
  /** Headers sent on every call. */
  h: Record<string, string>;
  t: number;
  r: number;
  f?: typeof fetch;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
// A Retry-After longer than this is the server saying "not now": the caller decides, not a sleeping SDK.
const RETRY_AFTER_CAP_MS = 60_000;

/** A client for one project. `messagejs.init()` builds one for you; build your own for several keys. */
export class MessageJS {
  /** @internal */
  declare c: Config;

  constructor(o: MessageJSOptions) {
    const h: Record<string, string> = { Authorization: 'Bearer ' + o.apiKey, Accept: 'application/json' };
    if (o.projectId) h['X-Project-Id'] = o.projectId;
    this.c = {
      // Tolerate a trailing slash or an origin given with the version prefix already on it.
      u: (o.baseUrl || 'http://localhost:3000').replace(/(?<!\/)\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1',
      h,
      t: o.timeoutMs ?? 10_000,
      r: o.maxRetries ?? 2,
      f: o.fetch,
    };
  }

  /** Queues one message; resolves once the platform has stored it durably (202). */
  send(params: SendParams): Promise<AcceptedMessage> {
    const { idempotencyKey, ...body } = params;
    // One key per call, reused by every retry, so the platform sends at most once.
    return call(this.c, 'POST', '/messages', body, idempotencyKey || uuid());
  }

  /** One message with its status events, oldest first. */
  get(id: string): Promise<MessageWithEvents> {
    return call(this.c, 'GET', '/messages/' + encodeURIComponent(id));
  }

  /** One page of messages, newest first; pass `nextCursor` back as `cursor` for the next. */
  list(params: ListParams = {}): Promise<Page<Message>> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null) q.set(k, v instanceof Date ? v.toISOString() : String(v));
    const s = q.toString();
    return call(this.c, 'GET', '/messages' + (s ? '?' + s : ''));
  }

  /** Every message matching `params`, newest first, fetching pages as the loop asks for them. */
  async *listAll(params: ListParams = {}): AsyncGenerator<Message, void, undefined> {
    let cursor = params.cursor;
    do {
      const page = await this.list({ ...params, cursor });
      yield* page.data;
      cursor = page.nextCursor || undefined;
    } while (cursor);
  }
}

async function call<T>(c: Config, method: string, path: string, body?: object, key?: string): Promise<T> {
  const headers = { ...c.h };
  if (body) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  const init = { method, headers, body: body && JSON.stringify(body) };
  for (let attempt = 0; ; attempt++) {
    const ctl = new AbortController();
    // The timer also covers reading the body: a server that stalls mid-body is as dead as a silent one.
    const timer = setTimeout(() => ctl.abort(), c.t);
    let res: Response | undefined;
    let text = '';
    let err: MessageJSError | undefined;
    try {
      // A local call, not `c.f(...)`: browsers throw "Illegal invocation" when fetch's `this` is not window.
      const f = c.f || fetch;
      res = await f(c.u + path, { ...init, signal: ctl.signal });
      text = await res.text();
    } catch (e) {
      const timedOut = ctl.signal.aborted;
      err = new MessageJSError(
        0,
        timedOut
          ? { type: TIMEOUT, title: 'Timed out', detail: `no answer within ${c.t} ms` }
          : { type: NETWORK_ERROR, title: 'Network error', detail: String((e as Error)?.message || e) },
        res?.headers.get('x-request-id'),
        e,
      );
    } finally {
      clearTimeout(timer);
    }
    if (!err && res) {
      if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
      err = new MessageJSError(res.status, parseProblem(text), res.headers.get('x-request-id'));
    }
    const wait = attempt < c.r ? retryDelay(err!.status, attempt, res?.headers.get('retry-after')) : -1;
    if (wait < 0) throw err!;
    await new Promise((done) => setTimeout(done, wait));
  }
}

/** A problem body, or an empty problem when the body is not one (a proxy's HTML page, say). */
function parseProblem(text: string): Problem {
  try {
    const p: unknown = JSON.parse(text);
    if (p && typeof p == 'object') return p;
  } catch {
    // Not JSON: the empty problem below.
  }
  return {};
}

/**
 * @internal
 * Milliseconds to wait before the next attempt, or -1 to give up. Retries only what another try can
 * fix: no answer (0), an in-flight duplicate (409), rate limits (429) and server errors (5xx).
 */
export function retryDelay(status: number, attempt: number, retryAfter?: string | null): number {
  if (status && status != 409 && status != 429 && status < 500) return -1;
  if (retryAfter) {
    // Seconds, or an HTTP date.
    const s = Number(retryAfter);
    const ms = isNaN(s) ? Date.parse(retryAfter) - Date.now() : s * 1000;
    if (!isNaN(ms)) return ms > RETRY_AFTER_CAP_MS ? -1 : Math.max(0, ms);
  }
  // Exponential backoff with full jitter: clients that failed together do not retry together.
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** An Idempotency-Key: a UUID where crypto.randomUUID exists (secure contexts, Node ≥ 19). */
function uuid(): string {
  const c = globalThis.crypto;
  if (c && c.randomUUID) return c.randomUUID();
  // Elsewhere, the time and two random draws: keys only need to be unique per project for 24 hours.
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
