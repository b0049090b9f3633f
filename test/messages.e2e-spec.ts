import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { startWithTelegram } from './support/telegram-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

describe('messages (Telegram, end to end)', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ platform, telegram, tenant } = await startWithTelegram());
  });

  afterAll(() => platform?.stop());

  const send = (body: Record<string, unknown>, token = tenant.apiKey, headers: Record<string, string> = {}) =>
    platform.request('POST', 'messages', { token, body, headers });

  const finalStatus = (id: string, statuses = ['sent', 'failed', 'delivered', 'read']) =>
    eventually(async () => {
      const res = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
      return statuses.includes(res.body.status) ? res.body : undefined;
    });

  it('accepts a message with 202, finds it at once, and sends it to the bot API', async () => {
    const res = await send({ to: '424242', message: 'Hello Ada', connector: 'telegram', metadata: { orderId: '42' } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: 'queued',
      connector: { id: tenant.connectorId, type: 'telegram' },
      to: '424242',
      createdAt: expect.any(String),
    });

    const right = await platform.request('GET', `messages/${res.body.id}`, { token: tenant.apiKey });
    expect(right.status).toBe(200);
    expect(right.body.id).toBe(res.body.id);

    const message = await finalStatus(res.body.id);
    expect(message).toMatchObject({
      status: 'sent',
      projectId: tenant.projectId,
      to: '424242',
      attempts: 1,
      error: null,
      metadata: { orderId: '42' },
      externalId: expect.stringMatching(/^424242:\d+$/),
      sentAt: expect.any(String),
    });
    expect(message.events.map((e: { status: string }) => e.status)).toEqual(['queued', 'sending', 'sent']);
    expect(telegram.sent.filter((s) => s.text === 'Hello Ada')).toHaveLength(1);
  });

  it('takes a connector id as well as a type, and @channel recipients', async () => {
    const res = await send({ to: '@mychannel', message: 'to the channel', connector: tenant.connectorId });
    expect(res.status).toBe(202);
    expect((await finalStatus(res.body.id)).status).toBe('sent');
  });

  it("marks a message failed at once, with Telegram's reason, when the bot is blocked", async () => {
    telegram.blockChat('777');
    const res = await send({ to: '777', message: 'you blocked me', connector: 'telegram' });
    const message = await finalStatus(res.body.id);
    expect(message.status).toBe('failed');
    expect(message.attempts).toBe(1);
    expect(message.error).toEqual({ code: '403', message: 'Forbidden: bot was blocked by the user' });
    expect(message.events.map((e: { status: string }) => e.status)).toEqual(['queued', 'failed']);
  });

  it('honours retry_after on a 429 and records the failed attempt', async () => {
    telegram.failNext('429', 1, { retryAfter: 1 });
    const started = Date.now();
    const res = await send({ to: '1001', message: 'rate limited once', connector: 'telegram' });
    const message = await finalStatus(res.body.id);
    expect(message.status).toBe('sent');
    expect(message.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const retry = message.events.find((e: { code?: string }) => e.code === '429');
    expect(retry).toMatchObject({ status: 'sending', attempt: 1 });
    expect(retry.detail).toMatch(/retrying in 1 s/);
  });

  it('retries a 5xx with backoff and then sends', async () => {
    telegram.failNext('500', 1);
    const res = await send({ to: '1002', message: 'server error once', connector: 'telegram' });
    const message = await finalStatus(res.body.id);
    expect(message.status).toBe('sent');
    expect(message.attempts).toBe(2);
    expect(telegram.sent.filter((s) => s.text === 'server error once')).toHaveLength(1);
  });

  it.each([
    ['no message', { to: '424242', connector: 'telegram' }, 'message'],
    ['4097 characters', { to: '424242', message: 'x'.repeat(4097), connector: 'telegram' }, 'message'],
    ['a recipient that is no chat id', { to: 'not a chat', message: 'hi', connector: 'telegram' }, 'to'],
    ['a type the project has no connector of', { to: '424242', message: 'hi', connector: 'whatsapp' }, 'connector'],
    ['an unknown connector id', { to: '424242', message: 'hi', connector: '00000000-0000-4000-8000-000000000000' }, 'connector'],
    ['a subject for telegram', { to: '424242', message: 'hi', connector: 'telegram', subject: 'only smtp' }, 'subject'],
    ['an unknown field', { to: '424242', message: 'hi', connector: 'telegram', colour: 'blue' }, 'colour'],
    ['non-string metadata', { to: '424242', message: 'hi', connector: 'telegram', metadata: { n: 1 } }, 'metadata'],
  ])('refuses %s with a 422 naming the field, and stores nothing', async (_case, body, field) => {
    const before = await platform.db.query('SELECT count(*)::int AS n FROM messages');
    const res = await send(body);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://messagejs.dev/problems/validation-error',
      title: 'Validation failed',
      status: 422,
      instance: '/api/v1/messages',
    });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const after = await platform.db.query('SELECT count(*)::int AS n FROM messages');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers malformed, non-object, non-JSON and oversized bodies with the right problem', async () => {
    const headers = { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' };
    const malformed = await platform.request('POST', 'messages', { headers, raw: '{"to":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('https://messagejs.dev/problems/bad-request');
    const array = await platform.request('POST', 'messages', { headers, raw: '[1,2]' });
    expect(array.status).toBe(400);
    const text = await platform.request('POST', 'messages', { headers: { ...headers, 'content-type': 'text/plain' }, raw: 'hello' });
    expect(text.status).toBe(415);
    const huge = await platform.request('POST', 'messages', {
      headers,
      raw: JSON.stringify({ to: '1', message: 'x'.repeat(300 * 1024), connector: 'telegram' }),
    });
    expect(huge.status).toBe(413);
    for (const res of [malformed, array, text, huge]) {
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('echoes X-Request-Id, or makes one', async () => {
    const echoed = await platform.request('GET', 'messages', { token: tenant.apiKey, headers: { 'x-request-id': 'req-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-123');
    const made = await platform.request('GET', 'messages', { token: tenant.apiKey });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists newest first with a cursor that stays stable while new messages arrive', async () => {
    const other = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await send({ to: `90${i}`, message: `page ${i}`, connector: 'telegram' }, other.apiKey);
      ids.push(res.body.id);
    }
    const first = await platform.request('GET', 'messages?limit=2', { token: other.apiKey });
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([ids[4], ids[3]]);
    await send({ to: '999', message: 'arrives between pages', connector: 'telegram' }, other.apiKey);
    const second = await platform.request('GET', `messages?limit=2&cursor=${first.body.nextCursor}`, { token: other.apiKey });
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const third = await platform.request('GET', `messages?limit=2&cursor=${second.body.nextCursor}`, { token: other.apiKey });
    expect(third.body.data.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    expect(third.body.nextCursor).toBeNull();

    const filtered = await platform.request('GET', 'messages?to=902', { token: other.apiKey });
    expect(filtered.body.data.map((m: { id: string }) => m.id)).toEqual([ids[2]]);
    const badLimit = await platform.request('GET', 'messages?limit=101', { token: other.apiKey });
    expect(badLimit.status).toBe(422);
    const badCursor = await platform.request('GET', 'messages?cursor=nonsense', { token: other.apiKey });
    expect(badCursor.status).toBe(422);
  });

  it("keeps tenants apart: another project's message is 404", async () => {
    const mine = await send({ to: '5005', message: 'private', connector: 'telegram' });
    const stranger = await createTenant(platform);
    const res = await platform.request('GET', `messages/${mine.body.id}`, { token: stranger.apiKey });
    expect(res.status).toBe(404);
    const list = await platform.request('GET', 'messages', { token: stranger.apiKey });
    expect(list.body.data).toEqual([]);
    const viaJwt = await platform.request('GET', `messages/${mine.body.id}?projectId=${tenant.projectId}`, { token: stranger.accessToken });
    expect(viaJwt.status).toBe(404);
  });

  it('lets the dashboard use a JWT with the project it owns', async () => {
    const res = await send(
      { to: '6006', message: 'from the dashboard', connector: 'telegram', projectId: tenant.projectId },
      tenant.accessToken,
    );
    expect(res.status).toBe(202);
    const list = await platform.request('GET', `messages?projectId=${tenant.projectId}&limit=1`, { token: tenant.accessToken });
    expect(list.body.data[0].id).toBe(res.body.id);
    const missing = await send({ to: '6006', message: 'no project', connector: 'telegram' }, tenant.accessToken);
    expect(missing.status).toBe(422);
  });

  it('refuses a revoked key everywhere within one second', async () => {
    const created = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'short-lived' },
    });
    const key = created.body.key as string;
    expect((await platform.request('GET', 'messages', { token: key })).status).toBe(200);
    const revoke = await platform.request('DELETE', `projects/${tenant.projectId}/keys/${created.body.id}`, { token: tenant.accessToken });
    expect(revoke.status).toBe(204);
    const revokedAt = Date.now();
    await eventually(async () => (await platform.request('GET', 'messages', { token: key })).status === 401, 1000, 50);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    const sent = await send({ to: '1', message: 'after revoke', connector: 'telegram' }, key);
    expect(sent.status).toBe(401);
  });

  it('refuses a wrong key, a missing key and a mismatched X-Project-Id with 401', async () => {
    expect((await platform.request('GET', 'messages')).status).toBe(401);
    expect((await platform.request('GET', 'messages', { token: `mjs_sk_${'A'.repeat(40)}` })).status).toBe(401);
    const mismatch = await platform.request('GET', 'messages', {
      token: tenant.apiKey,
      headers: { 'x-project-id': '00000000-0000-4000-8000-000000000000' },
    });
    expect(mismatch.status).toBe(401);
    const match = await platform.request('GET', 'messages', { token: tenant.apiKey, headers: { 'x-project-id': tenant.projectId } });
    expect(match.status).toBe(200);
  });

  it('updates lastUsedAt of a key in use', async () => {
    await eventually(
      async () => {
        const keys = await platform.request('GET', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken });
        return keys.body.data.find((k: { name: string; lastUsedAt: string | null }) => k.name === 'server' && k.lastUsedAt);
      },
      15_000,
      500,
    );
  });
});

describe('per-connector throughput', () => {
  let platform: Platform;
  let telegram: TelegramFake;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  async function connectorWith(config: Record<string, unknown>) {
    const tenant = await createTenant(platform);
    const connector = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
      token: tenant.accessToken,
      body: {
        type: 'telegram',
        name: 'Slow bot',
        credentials: { botToken: telegram.addToken() },
        config: { baseUrl: telegram.baseUrl, ...config },
      },
    });
    return { tenant, connectorId: connector.body.id as string };
  }

  it("never sends faster than the connector's maxPerSecond, across all workers", async () => {
    const { tenant } = await connectorWith({ maxPerSecond: 5 });
    const texts = Array.from({ length: 15 }, (_, i) => `throttled ${i}`);
    await Promise.all(
      texts.map((message) =>
        platform.request('POST', 'messages', { token: tenant.apiKey, body: { to: '4242', message, connector: 'telegram' } }),
      ),
    );
    await eventually(async () => telegram.sent.filter((s) => s.text.startsWith('throttled ')).length === 15, 20_000);
    const times = telegram.sent
      .filter((s) => s.text.startsWith('throttled '))
      .map((s) => s.at.getTime())
      .sort((a, b) => a - b);
    // One every 200 ms: 15 sends take about three seconds, and no second holds more than five.
    expect(times[14] - times[0]).toBeGreaterThanOrEqual(2_600);
    for (let i = 0; i + 6 < times.length; i++) expect(times[i + 6] - times[i]).toBeGreaterThanOrEqual(1_000 - 50);
  });

  it("holds every send of a connector while the provider's retry_after runs", async () => {
    const { tenant } = await connectorWith({ maxPerSecond: 1000 });
    telegram.failNext('429', 1, { retryAfter: 2 });
    const first = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '77', message: 'paused first', connector: 'telegram' },
    });
    await eventually(async () => {
      const res = await platform.request('GET', `messages/${first.body.id}`, { token: tenant.apiKey });
      return res.body.events.some((e: { code?: string }) => e.code === '429');
    });
    const pausedAt = Date.now();
    await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '78', message: 'paused second', connector: 'telegram' },
    });
    await eventually(async () => telegram.sent.some((s) => s.text === 'paused second'), 10_000);
    const second = telegram.sent.find((s) => s.text === 'paused second')!;
    expect(second.at.getTime() - pausedAt).toBeGreaterThanOrEqual(1_500);
  });
});

describe('retries and dead letters', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start({ env: { SEND_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '100' } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  const settle = (id: string) =>
    eventually(async () => {
      const res = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
      return ['sent', 'failed'].includes(res.body.status) ? res.body : undefined;
    });

  it('gives up after the configured attempts with the last error, records each one, and can be re-driven once per request', async () => {
    telegram.failNext('500', 3);
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '4040', message: 'dead letter', connector: 'telegram' },
    });
    const failed = await settle(res.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(3);
    expect(failed.error.code).toBe('500');
    const attempts = failed.events.filter((e: { attempt?: number }) => e.attempt);
    expect(attempts.map((e: { attempt: number }) => e.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((e: { code: string }) => e.code === '500')).toBe(true);
    expect(telegram.sent.filter((s) => s.text === 'dead letter')).toHaveLength(0);

    const retried = await platform.request('POST', `messages/${res.body.id}/retry`, { token: tenant.apiKey });
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('queued');
    const sent = await settle(res.body.id);
    expect(sent.status).toBe('sent');
    expect(sent.error).toBeNull();
    expect(sent.events.some((e: { detail?: string }) => e.detail === 're-queued by a retry request')).toBe(true);
    expect(telegram.sent.filter((s) => s.text === 'dead letter')).toHaveLength(1);

    const again = await platform.request('POST', `messages/${res.body.id}/retry`, { token: tenant.apiKey });
    expect(again.status).toBe(409);
    const stranger = await createTenant(platform);
    expect((await platform.request('POST', `messages/${res.body.id}/retry`, { token: stranger.apiKey })).status).toBe(404);
  });
});
