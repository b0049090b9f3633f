import { randomBytes } from 'node:crypto';
import { eventually, Platform } from './support/platform';
import { startWithTelegram } from './support/telegram-platform';
import { Tenant } from './support/tenant';

jest.setTimeout(90_000);

const METRICS_TOKEN = randomBytes(24).toString('hex');

/** Issue 9, the authentication half: what a tenant (or anyone) could do with crafted requests, and no longer can. */
describe('hardening', () => {
  let platform: Platform;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ platform, tenant } = await startWithTelegram({ env: { METRICS_TOKEN } }));
  });

  afterAll(() => platform?.stop());

  it('refuses a public key that sets a subject (free text through a browser key)', async () => {
    const shop = 'https://shop.example.com';
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'browser', type: 'public', allowedOrigins: [shop] },
    });
    await platform.request('POST', `projects/${tenant.projectId}/templates`, {
      token: tenant.accessToken,
      body: { name: 'hello', content: 'Hello {{name}}' },
    });
    const send = (extra: object) =>
      platform.request('POST', 'messages', {
        token: key.body.key,
        headers: { origin: shop },
        body: { to: '4242', connector: 'telegram', template: { name: 'hello', variables: { name: 'Ada' } }, ...extra },
      });
    const refused = await send({ subject: 'URGENT call +1-555-0100' });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('https://messagejs.dev/problems/forbidden');
    expect(refused.body.detail).toMatch(/subject/);
    expect((await send({})).status).toBe(202);
  });

  it('serves /metrics only with METRICS_TOKEN when it is set', async () => {
    expect((await platform.request('GET', '/metrics')).status).toBe(401);
    expect((await platform.request('GET', '/metrics', { token: 'not-the-metrics-token' })).status).toBe(401);
    expect((await platform.request('GET', '/metrics', { token: tenant.apiKey })).status).toBe(401);
    const ok = await platform.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^# HELP /m);
    // The probes stay open for the orchestrator.
    expect((await platform.request('GET', '/healthz')).status).toBe(200);
  });

  it('answers crafted message filters and cursors with 422 naming the field, never a failing query', async () => {
    const crafted = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '-'.repeat(36)])).toString('base64url');
    const badTime = Buffer.from(JSON.stringify(['2024-W01-1', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    const cases: Array<[string, string]> = [
      [`connector=${'-'.repeat(36)}`, 'connector'],
      ['connector=sms', 'connector'],
      ['status=lost', 'status'],
      [`cursor=${crafted}`, 'cursor'],
      [`cursor=${badTime}`, 'cursor'],
      ['cursor=%27%3B%20DROP%20TABLE%20messages', 'cursor'],
      ['since=2024-W01-1', 'since'],
      ['since=2024', 'since'],
      ['until=0000-01-01', 'until'],
      ['until=2026-02-30T00:00:00Z', 'until'],
      ['since=2024-01-01T10:00:00,5Z', 'since'],
    ];
    for (const [query, field] of cases) {
      const res = await platform.request('GET', `messages?${query}`, { token: tenant.apiKey });
      expect({ query, status: res.status, type: res.body.type }).toEqual({
        query,
        status: 422,
        type: 'https://messagejs.dev/problems/validation-error',
      });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const valid = await platform.request(
      'GET',
      `messages?connector=${tenant.connectorId}&status=queued&since=2026-01-01&until=2999-12-31T23:59:59.5%2B02:00`,
      {
        token: tenant.apiKey,
      },
    );
    expect(valid.status).toBe(200);
    expect((await platform.request('GET', 'messages?connector=telegram', { token: tenant.apiKey })).status).toBe(200);
    const logs = platform.logs.join('\n');
    expect(logs).not.toMatch(/SELECT|QueryFailedError|invalid input syntax|internal error/i);
    expect(logs).not.toContain('-'.repeat(36));
  });

  it('drops cached keys when the change feed reconnects, so a revoke it missed holds at once', async () => {
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'to revoke' },
    });
    const use = () => platform.request('GET', 'messages', { token: key.body.key });
    expect((await use()).status).toBe(200);
    // The revoke the gateways never heard of: written where management writes it, with no message on the
    // feed, as happens when it is published while a subscriber is reconnecting.
    await platform.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.body.id]);
    expect((await use()).status).toBe(200); // still cached: only the feed could tell
    const subscribers = ((await platform.redis.client('LIST')) as string)
      .split('\n')
      .filter((line) => line.includes(` name=${platform.redisPrefix}:change-feed `))
      .map((line) => /\bid=(\d+)/.exec(line)![1]);
    expect(subscribers.length).toBeGreaterThanOrEqual(1);
    for (const id of subscribers) await platform.redis.client('KILL', 'ID', id);
    const cut = Date.now();
    await eventually(async () => (await use()).status === 401, 10_000, 50);
    console.log(`revoked key refused ${Date.now() - cut} ms after the change feed's connections were cut (cache TTL 60 s)`);
    // And the feed is back: a revoke published now is heard too.
    const second = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'second' },
    });
    expect((await platform.request('GET', 'messages', { token: second.body.key })).status).toBe(200);
    await platform.request('DELETE', `projects/${tenant.projectId}/keys/${second.body.id}`, { token: tenant.accessToken });
    await eventually(async () => (await platform.request('GET', 'messages', { token: second.body.key })).status === 401, 5_000, 50);
  });
});
