import { AcceptedMessage, Message, MessageJS, MessageJSError, MessageWithEvents, Page } from '../src';
import { retryDelay } from '../src/client';
import { json, ScriptedServer, startScriptedServer } from './scripted-server';

const KEY = 'mjs_sk_0123456789abcdefghijklmnopqrstuv';
const PROJECT = '6b1f7c2e-7d0e-4c3a-9a53-2f3e1b0c9d11';

const accepted: AcceptedMessage = {
  id: '0b8f2f7e-3f0a-4f43-9c1e-6d2b1d8f4a10',
  status: 'queued',
  connector: { id: 'f3a1c9e2-5b7d-4e8f-a1b2-c3d4e5f6a7b8', type: 'telegram' },
  to: '123456789',
  createdAt: '2025-01-01T00:00:00.000Z',
};

function message(id: string): Message {
  return {
    ...accepted,
    id,
    projectId: PROJECT,
    status: 'sent',
    externalId: null,
    error: null,
    attempts: 1,
    metadata: {},
    updatedAt: accepted.createdAt,
    sentAt: accepted.createdAt,
    deliveredAt: null,
  };
}

const validation = {
  type: 'https://messagejs.dev/problems/validation-error',
  title: 'Validation failed',
  status: 422,
  detail: 'to must be an E.164 phone number',
  instance: '/api/v1/messages',
  errors: [{ field: 'to', message: 'must be an E.164 phone number' }],
};

describe('MessageJS', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const client = (s: ScriptedServer, options: { timeoutMs?: number; maxRetries?: number } = {}) =>
    new MessageJS({ apiKey: KEY, projectId: PROJECT, baseUrl: s.url, ...options });

  it('sends the key, the project and a JSON body, and resolves with the typed 202 body', async () => {
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
    const result: AcceptedMessage = await client(server).send({
      to: '123456789',
      message: 'Hello',
      connector: 'telegram',
      metadata: { orderId: '42' },
    });

    expect(result).toEqual(accepted);
    const [req] = server.seen;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/v1/messages');
    expect(req.headers.authorization).toBe('Bearer ' + KEY);
    expect(req.headers['x-project-id']).toBe(PROJECT);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.body).toEqual({ to: '123456789', message: 'Hello', connector: 'telegram', metadata: { orderId: '42' } });
  });

  it('sends a template, and gives each send call its own idempotency key', async () => {
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
    const c = client(server);
    await c.send({ to: '123456789', template: { name: 'welcome', variables: { name: 'Ada' } }, connector: 'telegram' });
    await c.send({ to: '123456789', template: { name: 'welcome', variables: { name: 'Ada' } }, connector: 'telegram' });

    expect(server.seen[0].body).toEqual({
      to: '123456789',
      template: { name: 'welcome', variables: { name: 'Ada' } },
      connector: 'telegram',
    });
    expect(server.seen[0].headers['idempotency-key']).not.toBe(server.seen[1].headers['idempotency-key']);
  });

  it("uses the caller's idempotency key as is and keeps it out of the body", async () => {
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
    await client(server).send({
      to: '123456789',
      message: 'Hello',
      connector: 'telegram',
      idempotencyKey: 'order-42/confirmation',
    });

    expect(server.seen[0].headers['idempotency-key']).toBe('order-42/confirmation');
    expect(server.seen[0].body).toEqual({ to: '123456789', message: 'Hello', connector: 'telegram' });
  });

  it('still makes a fresh key per send where crypto.randomUUID is missing (insecure browser pages, Node 18)', async () => {
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
    const c = client(server);
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      await c.send({ to: '1', message: 'Hi', connector: 'telegram' });
      await c.send({ to: '1', message: 'Hi', connector: 'telegram' });
    } finally {
      if (original) Object.defineProperty(globalThis, 'crypto', original);
    }
    const [a, b] = server.seen.map((r) => String(r.headers['idempotency-key']));

    expect(a).toMatch(/^[0-9a-z]+-[0-9a-z]{10,}$/);
    expect(a).not.toBe(b);
  });

  it('leaves X-Project-Id out when no project is given', async () => {
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
    await new MessageJS({ apiKey: KEY, baseUrl: server.url }).send({ to: '1', message: 'Hi', connector: 'telegram' });

    expect(server.seen[0].headers['x-project-id']).toBeUndefined();
  });

  it('turns a problem body into a MessageJSError with every field and the X-Request-Id', async () => {
    server = await startScriptedServer((_req, res) => json(res, 422, validation, { 'X-Request-Id': 'req-abc' }));
    const err = await client(server)
      .send({ to: 'nope', message: 'Hi', connector: 'twilio' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(MessageJSError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'MessageJSError',
      status: 422,
      type: validation.type,
      title: 'Validation failed',
      detail: 'to must be an E.164 phone number',
      instance: '/api/v1/messages',
      errors: validation.errors,
      requestId: 'req-abc',
      message: 'Validation failed: to must be an E.164 phone number',
    });
  });

  it('does not retry a 422: another try cannot fix the request', async () => {
    server = await startScriptedServer((_req, res) => json(res, 422, validation));
    await expect(client(server).send({ to: 'nope', message: 'Hi', connector: 'twilio' })).rejects.toMatchObject({
      status: 422,
    });

    expect(server.seen).toHaveLength(1);
  });

  it('still reports status and request id when the error body is not a problem', async () => {
    server = await startScriptedServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html', 'X-Request-Id': 'req-proxy' });
      res.end('<h1>Bad Gateway</h1>');
    });
    const err = await client(server, { maxRetries: 0 })
      .get('x')
      .catch((e: unknown) => e);

    expect(err).toMatchObject({
      status: 502,
      type: 'about:blank',
      title: 'HTTP 502',
      errors: [],
      requestId: 'req-proxy',
    });
  });

  it('retries a 503 and then succeeds, reusing the same idempotency key', async () => {
    server = await startScriptedServer((_req, res, n) =>
      n === 0 ? json(res, 503, { title: 'Service unavailable', status: 503 }) : json(res, 202, accepted),
    );
    const result = await client(server).send({ to: '123456789', message: 'Hello', connector: 'telegram' });

    expect(result.id).toBe(accepted.id);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1].headers['idempotency-key']).toBe(server.seen[0].headers['idempotency-key']);
    expect(server.seen[1].body).toEqual(server.seen[0].body);
  });

  it('retries a 409 (the first try still in flight) with the same key', async () => {
    server = await startScriptedServer((_req, res, n) =>
      n === 0 ? json(res, 409, { title: 'Conflict', status: 409 }, { 'Retry-After': '0' }) : json(res, 202, accepted),
    );
    await client(server).send({ to: '123456789', message: 'Hello', connector: 'telegram', idempotencyKey: 'k-1' });

    expect(server.seen.map((r) => r.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    server = await startScriptedServer((_req, res, n) =>
      n === 0 ? json(res, 429, { title: 'Too many requests', status: 429 }, { 'Retry-After': '1' }) : json(res, 202, accepted),
    );
    await client(server).send({ to: '123456789', message: 'Hello', connector: 'telegram' });

    const waited = server.seen[1].at - server.seen[0].at;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(1800);
  });

  it('gives up after maxRetries and throws the last answer', async () => {
    server = await startScriptedServer((_req, res) =>
      json(res, 500, { title: 'Internal server error', status: 500, errorId: 'e-1' }, { 'Retry-After': '0' }),
    );
    const err = await client(server, { maxRetries: 2 })
      .get('x')
      .catch((e: unknown) => e);

    expect(err).toMatchObject({ status: 500, errorId: 'e-1' });
    expect(server.seen).toHaveLength(3);
  });

  it('retries a dropped connection with the same idempotency key', async () => {
    server = await startScriptedServer((req, res, n) => (n === 0 ? res.socket?.destroy() : json(res, 202, accepted)));
    const result = await client(server).send({ to: '123456789', message: 'Hello', connector: 'telegram' });

    expect(result.id).toBe(accepted.id);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1].headers['idempotency-key']).toBe(server.seen[0].headers['idempotency-key']);
  });

  it('reports a network error with status 0 when nothing listens', async () => {
    server = await startScriptedServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const err = await new MessageJS({ apiKey: KEY, baseUrl: url, maxRetries: 0 }).get('x').catch((e: unknown) => e);

    expect(err).toMatchObject({
      status: 0,
      type: 'https://messagejs.dev/problems/network-error',
      title: 'Network error',
    });
    expect((err as Error).cause).toBeDefined();
  });

  it('times out a silent server after timeoutMs on each attempt', async () => {
    server = await startScriptedServer(() => undefined);
    const started = Date.now();
    const err = await client(server, { timeoutMs: 200, maxRetries: 1 })
      .get('x')
      .catch((e: unknown) => e);
    const took = Date.now() - started;

    expect(err).toMatchObject({
      status: 0,
      type: 'https://messagejs.dev/problems/timeout',
      detail: 'no answer within 200 ms',
    });
    expect(server.seen).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(1500);
  });

  it('gets one message with its events', async () => {
    const body: MessageWithEvents = { ...message('m 1'), events: [{ status: 'queued', at: accepted.createdAt }] };
    server = await startScriptedServer((_req, res) => json(res, 200, body));
    const result: MessageWithEvents = await client(server).get('m 1');

    expect(result).toEqual(body);
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/messages/m%201' });
    expect(server.seen[0].headers['idempotency-key']).toBeUndefined();
    expect(server.seen[0].headers['content-type']).toBeUndefined();
  });

  it('lists one page with the filters as query parameters', async () => {
    const page: Page<Message> = { data: [message('a')], nextCursor: 'c-2' };
    server = await startScriptedServer((_req, res) => json(res, 200, page));
    const result = await client(server).list({
      status: 'failed',
      connector: 'twilio',
      since: new Date('2025-01-01T00:00:00Z'),
      limit: 50,
      to: undefined,
    });

    expect(result).toEqual(page);
    expect(server.seen[0].url).toBe('/api/v1/messages?status=failed&connector=twilio&since=2025-01-01T00%3A00%3A00.000Z&limit=50');
  });

  it('listAll follows nextCursor until the last page', async () => {
    const pages: Record<string, Page<Message>> = {
      '': { data: [message('a'), message('b')], nextCursor: 'c-2' },
      'c-2': { data: [message('c')], nextCursor: 'c-3' },
      'c-3': { data: [], nextCursor: null },
    };
    server = await startScriptedServer((req, res) => json(res, 200, pages[new URL(req.url, 'http://x').searchParams.get('cursor') ?? '']));
    const ids: string[] = [];
    for await (const m of client(server).listAll({ limit: 2 })) ids.push(m.id);

    expect(ids).toEqual(['a', 'b', 'c']);
    expect(server.seen.map((r) => r.url)).toEqual([
      '/api/v1/messages?limit=2',
      '/api/v1/messages?limit=2&cursor=c-2',
      '/api/v1/messages?limit=2&cursor=c-3',
    ]);
  });

  it('accepts a base URL with a trailing slash or the /api/v1 prefix', async () => {
    server = await startScriptedServer((_req, res) => json(res, 200, { data: [], nextCursor: null }));
    await new MessageJS({ apiKey: KEY, baseUrl: server.url + '/' }).list();
    await new MessageJS({ apiKey: KEY, baseUrl: server.url + '/api/v1/' }).list();

    expect(server.seen.map((r) => r.url)).toEqual(['/api/v1/messages', '/api/v1/messages']);
  });

  it('refuses both message and template at compile time', () => {
    const c = new MessageJS({ apiKey: KEY });
    // @ts-expect-error exactly one of message and template
    const both = () => c.send({ to: '1', connector: 'telegram', message: 'Hi', template: { name: 'welcome' } });
    // @ts-expect-error exactly one of message and template
    const neither = () => c.send({ to: '1', connector: 'telegram' });
    expect([both, neither]).toHaveLength(2);
  });
});

describe('retryDelay', () => {
  it('never retries 4xx other than 409 and 429', () => {
    for (const status of [400, 401, 403, 404, 413, 415, 422]) expect(retryDelay(status, 0)).toBe(-1);
  });

  it('backs off exponentially with full jitter, capped at 8 s', () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelay(503, 0)).toBeLessThan(500);
      expect(retryDelay(0, 2)).toBeLessThan(2000);
      expect(retryDelay(429, 10)).toBeLessThanOrEqual(8000);
    }
  });

  it('honours Retry-After in seconds or as an HTTP date, and gives up past a minute', () => {
    expect(retryDelay(429, 0, '3')).toBe(3000);
    const date = retryDelay(503, 0, new Date(Date.now() + 5000).toUTCString());
    expect(date).toBeGreaterThan(3900);
    expect(date).toBeLessThanOrEqual(5000);
    expect(retryDelay(503, 0, new Date(Date.now() - 5000).toUTCString())).toBe(0);
    expect(retryDelay(429, 0, '3600')).toBe(-1);
    expect(retryDelay(429, 0, 'soon')).toBeLessThan(500);
  });
});
