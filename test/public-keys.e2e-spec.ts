import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

/** Public keys (mjs_pk_…): browser-safe because the server, not the page, decides what they can do. */
describe('public keys', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let publicKey: string;
  const shop = 'https://shop.example.com';

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start();
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'browser', type: 'public', allowedOrigins: [shop] },
    });
    expect(key.body.key).toMatch(/^mjs_pk_/);
    publicKey = key.body.key;
    await platform.request('POST', `projects/${tenant.projectId}/templates`, {
      token: tenant.accessToken,
      body: { name: 'contact', content: 'New message from {{name}}' },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  const send = (body: object, origin?: string, token = publicKey) =>
    platform.request('POST', 'messages', { token, body, headers: origin ? { origin } : {} });

  it('sends a template from an allowed origin, and only that origin may read the answer', async () => {
    const res = await send({ to: '5151', template: { name: 'contact', variables: { name: 'Ada' } }, connector: 'telegram' }, shop);
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(shop);
    await eventually(async () => telegram.sent.some((s) => s.text === 'New message from Ada'));
  });

  it.each([
    [
      'another origin',
      { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram' },
      'https://evil.example',
    ],
    ['no origin', { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram' }, undefined],
    ['free text', { to: '5151', message: 'spam', connector: 'telegram' }, shop],
    [
      'metadata',
      { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram', metadata: { a: 'b' } },
      shop,
    ],
  ])('refuses %s with 403 and sends nothing', async (_case, body, origin) => {
    const before = telegram.sent.length;
    const res = await send(body, origin);
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('https://messagejs.dev/problems/forbidden');
    // A page on an allowed origin may read why it was refused; any other origin learns nothing.
    expect(res.headers.get('access-control-allow-origin')).toBe(origin === shop ? shop : null);
    expect(telegram.sent.length).toBe(before);
  });

  it('cannot read messages or call any other route', async () => {
    const list = await platform.request('GET', 'messages', { token: publicKey, headers: { origin: shop } });
    expect(list.status).toBe(403);
    expect((await platform.request('GET', 'projects', { token: publicKey })).status).toBe(403);
  });

  it('is rate limited per client IP (X-Forwarded-For from a trusted proxy), while a secret key shares one window', async () => {
    const other = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const token = other.accessToken;
    expect((await platform.request('PATCH', `projects/${other.projectId}`, { token, body: { rateLimitPerSecond: 2 } })).status).toBe(200);
    await platform.request('POST', `projects/${other.projectId}/templates`, { token, body: { name: 'contact', content: 'Hi {{name}}' } });
    const key = (
      await platform.request('POST', `projects/${other.projectId}/keys`, {
        token,
        body: { name: 'web', type: 'public', allowedOrigins: [shop] },
      })
    ).body.key;
    const body = { to: '5151', template: { name: 'contact', variables: { name: 'IP' } }, connector: 'telegram' };
    const from = (ip: string, apiKey = key, payload: object = body) =>
      platform.request('POST', 'messages', { token: apiKey, body: payload, headers: { origin: shop, 'x-forwarded-for': ip } });
    // The platform's loopback is the trusted proxy here (TRUST_PROXY=loopback), as a load balancer would be.
    const statuses = async (requests: Array<Promise<{ status: number }>>) => (await Promise.all(requests)).map((r) => r.status).sort();
    expect(await statuses([from('203.0.113.1'), from('203.0.113.1'), from('203.0.113.1'), from('203.0.113.2')])).toEqual([
      202, 202, 202, 429,
    ]);
    const server = { to: '5151', message: 'server', connector: 'telegram' };
    expect(await statuses(['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((ip) => from(ip, other.apiKey, server)))).toEqual([
      202, 202, 429,
    ]);
  });

  describe('daily limit', () => {
    const contact = (name: string) => ({ to: '5151', template: { name: 'contact', variables: { name } }, connector: 'telegram' });
    const createKey = (body: object) => platform.request('POST', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken, body });
    const updateKey = (keyId: string, body: object) =>
      platform.request('PATCH', `projects/${tenant.projectId}/keys/${keyId}`, { token: tenant.accessToken, body });

    it('is 1000 a day unless the owner sets another, and never applies to secret keys', async () => {
      expect((await createKey({ name: 'default', type: 'public', allowedOrigins: [shop] })).body.dailyLimit).toBe(1000);
      const secret = await createKey({ name: 'server', dailyLimit: 5 });
      expect(secret.status).toBe(422);
      expect(secret.body.errors).toEqual([{ field: 'dailyLimit', message: 'applies to public keys only' }]);
      for (const dailyLimit of [0, 1.5, 1_000_001, '10'])
        expect((await createKey({ name: 'x', type: 'public', allowedOrigins: [shop], dailyLimit })).status).toBe(422);
      const list = await platform.request('GET', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken });
      expect(list.body.data.find((k: { name: string }) => k.name === 'default').dailyLimit).toBe(1000);
      expect(list.body.data.find((k: { type: string }) => k.type === 'secret').dailyLimit).toBeNull();
    });

    it('counts accepted messages only, refuses past the limit until 00:00 UTC, and can be raised at once', async () => {
      const created = await createKey({ name: 'capped', type: 'public', allowedOrigins: [shop], dailyLimit: 2 });
      expect(created.body.dailyLimit).toBe(2);
      const capped = created.body.key as string;
      // Refused requests, failed validations and idempotent replays use none of the day's messages.
      expect((await send({ to: '5151', template: { name: 'contact', variables: {} }, connector: 'telegram' }, shop, capped)).status).toBe(
        422,
      );
      expect((await send(contact('A'), 'https://evil.example', capped)).status).toBe(403);
      const first = await platform.request('POST', 'messages', {
        token: capped,
        body: contact('Cap 1'),
        headers: { origin: shop, 'idempotency-key': 'cap-once' },
      });
      expect(first.status).toBe(202);
      const replay = await platform.request('POST', 'messages', {
        token: capped,
        body: contact('Cap 1'),
        headers: { origin: shop, 'idempotency-key': 'cap-once' },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await send(contact('Cap 2'), shop, capped)).status).toBe(202);

      const over = await send(contact('Cap 3'), shop, capped);
      expect(over.status).toBe(429);
      expect(over.body).toMatchObject({ type: 'https://messagejs.dev/problems/daily-limit-reached', status: 429 });
      expect(over.body.detail).toMatch(/2 messages a day/);
      const retryAfter = Number(over.headers.get('retry-after'));
      const secondsToMidnight = Math.ceil((Math.ceil(Date.now() / 86_400_000) * 86_400_000 - Date.now()) / 1000);
      expect(retryAfter).toBeGreaterThan(0);
      expect(Math.abs(retryAfter - secondsToMidnight)).toBeLessThanOrEqual(5);
      // The page that sent it may read why; the browser exposes Retry-After to it.
      expect(over.headers.get('access-control-allow-origin')).toBe(shop);
      const count = await platform.db.query(
        `SELECT count(*)::int AS n FROM messages WHERE project_id = $1 AND body LIKE 'New message from Cap%'`,
        [tenant.projectId],
      );
      expect(count.rows[0].n).toBe(2);
      const capTexts = () =>
        telegram.sent
          .filter((s) => s.text.startsWith('New message from Cap'))
          .map((s) => s.text)
          .sort();
      await eventually(async () => capTexts().length >= 2);
      expect(capTexts()).toEqual(['New message from Cap 1', 'New message from Cap 2']);

      const raised = await updateKey(created.body.id, { dailyLimit: 3 });
      expect(raised.status).toBe(200);
      expect(raised.body).toMatchObject({ id: created.body.id, dailyLimit: 3, allowedOrigins: [shop] });
      expect(raised.body.key).toBeUndefined();
      await eventually(async () => (await send(contact('Cap 3'), shop, capped)).status === 202, 5_000, 200);
      expect((await send(contact('Cap 4'), shop, capped)).status).toBe(429);
    });

    it('changes a public key in place, and refuses what does not apply', async () => {
      const created = await createKey({ name: 'movable', type: 'public', allowedOrigins: [shop] });
      const other = 'https://other.example.com';
      expect((await updateKey(created.body.id, { allowedOrigins: [other] })).body.allowedOrigins).toEqual([other]);
      await eventually(async () => (await send(contact('moved'), shop, created.body.key)).status === 403, 5_000, 200);
      expect((await send(contact('moved'), other, created.body.key)).status).toBe(202);
      expect((await updateKey(created.body.id, { type: 'secret' })).status).toBe(422);
      const secretKeys = await platform.request('GET', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken });
      const secretId = secretKeys.body.data.find((k: { type: string }) => k.type === 'secret').id;
      expect((await updateKey(secretId, { dailyLimit: 10 })).status).toBe(422);
      expect((await updateKey(secretId, { name: 'renamed server key' })).body.name).toBe('renamed server key');
      expect((await updateKey('00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
      await platform.request('DELETE', `projects/${tenant.projectId}/keys/${created.body.id}`, { token: tenant.accessToken });
      expect((await updateKey(created.body.id, { dailyLimit: 5 })).status).toBe(409);
    });
  });

  it('answers the CORS preflight, and never gives a secret key CORS headers', async () => {
    const preflight = await platform.request('OPTIONS', 'messages', { headers: { origin: shop, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const secret = await send({ to: '5151', message: 'server side', connector: 'telegram' }, shop, tenant.apiKey);
    expect(secret.status).toBe(202);
    expect(secret.headers.get('access-control-allow-origin')).toBeNull();
  });
});
