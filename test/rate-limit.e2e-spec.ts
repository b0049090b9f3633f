import { TelegramFake } from './fakes/telegram.fake';
import { ApiResponse, eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rate limiting on message routes (RATE_LIMIT_PER_SECOND=5)', () => {
  let platform: Platform;
  let telegram: TelegramFake;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start({ env: { RATE_LIMIT_PER_SECOND: '5' } });
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  const list = (tenant: Tenant): Promise<ApiResponse> => platform.request('GET', 'messages?limit=1', { token: tenant.apiKey });
  const burst = (tenant: Tenant, n: number): Promise<ApiResponse[]> => Promise.all(Array.from({ length: n }, () => list(tenant)));

  it('refuses the 6th request within a second with 429, Retry-After, a problem and the headers; lets it pass a second later', async () => {
    const tenant = await createTenant(platform);
    const allowed = await burst(tenant, 5);
    expect(allowed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const remaining = allowed.map((r) => /^"default";r=(\d+);t=1$/.exec(r.headers.get('ratelimit') ?? '')?.[1]).sort();
    expect(remaining).toEqual(['0', '1', '2', '3', '4']);

    const refused = await list(tenant);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-policy')).toBe('"default";q=5;w=1');
    expect(refused.headers.get('ratelimit')).toBe('"default";r=0;t=1');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'https://messagejs.dev/problems/rate-limited', status: 429, instance: '/api/v1/messages' });

    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 50);
    expect((await list(tenant)).status).toBe(200);
  });

  it('puts RateLimit-Policy and RateLimit on a 202', async () => {
    const tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '424242', message: 'limited', connector: 'telegram' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=5;w=1');
    expect(res.headers.get('ratelimit')).toBe('"default";r=4;t=1');
  });

  it('gives each API key its own window', async () => {
    const tenant = await createTenant(platform);
    const second = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'second' },
    });
    await burst(tenant, 5);
    expect((await list(tenant)).status).toBe(429);
    expect((await list({ ...tenant, apiKey: second.body.key })).status).toBe(200);
  });

  it('limits a dashboard user on message routes with the default', async () => {
    const tenant = await createTenant(platform);
    const res = await platform.request('GET', `messages?projectId=${tenant.projectId}`, { token: tenant.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=5;w=1');
  });

  it('applies a PATCHed project rateLimitPerSecond within about 2 seconds', async () => {
    const tenant = await createTenant(platform);
    expect((await list(tenant)).headers.get('ratelimit-policy')).toBe('"default";q=5;w=1'); // the key is now cached
    const patch = await platform.request('PATCH', `projects/${tenant.projectId}`, {
      token: tenant.accessToken,
      body: { rateLimitPerSecond: 20 },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.rateLimitPerSecond).toBe(20);
    const patchedAt = Date.now();
    await eventually(async () => (await list(tenant)).headers.get('ratelimit-policy') === '"default";q=20;w=1', 2_000, 100);
    expect(Date.now() - patchedAt).toBeLessThan(2_000);

    await sleep(1_100); // a fresh window
    const allowed = await burst(tenant, 20);
    expect(allowed.filter((r) => r.status === 200)).toHaveLength(20);
    expect((await list(tenant)).status).toBe(429);

    // null restores the platform default.
    await platform.request('PATCH', `projects/${tenant.projectId}`, { token: tenant.accessToken, body: { rateLimitPerSecond: null } });
    await eventually(async () => (await list(tenant)).headers.get('ratelimit-policy') === '"default";q=5;w=1', 2_000, 100);
  });
});
