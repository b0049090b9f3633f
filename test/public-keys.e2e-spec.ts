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
    await platform.request('POST', `projects/${tenant.projectId}/templates`, { token: tenant.accessToken, body: { name: 'contact', content: 'New message from {{name}}' } });
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
    ['another origin', { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram' }, 'https://evil.example'],
    ['no origin', { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram' }, undefined],
    ['free text', { to: '5151', message: 'spam', connector: 'telegram' }, shop],
    ['metadata', { to: '5151', template: { name: 'contact', variables: { name: 'A' } }, connector: 'telegram', metadata: { a: 'b' } }, shop],
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

  it('answers the CORS preflight, and never gives a secret key CORS headers', async () => {
    const preflight = await platform.request('OPTIONS', 'messages', { headers: { origin: shop, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const secret = await send({ to: '5151', message: 'server side', connector: 'telegram' }, shop, tenant.apiKey);
    expect(secret.status).toBe(202);
    expect(secret.headers.get('access-control-allow-origin')).toBeNull();
  });
});
