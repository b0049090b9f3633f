import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TelegramFake } from './fakes/telegram.fake';
import { TwilioFake } from './fakes/twilio.fake';
import { eventually, Platform } from './support/platform';
import { addTwilioConnector, createTenant, Tenant } from './support/tenant';

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://messagejs.example.test';
const ROLLUPS = ['message_stats_hourly', 'message_latency_hourly', 'message_errors_hourly'];

interface Analytics {
  from: string;
  to: string;
  interval: string;
  series: Array<{ t: string; queued: number; sent: number; delivered: number; read: number; failed: number }>;
  connectors: Array<{
    id: string;
    type: string;
    name: string | null;
    total: number;
    sent: number;
    delivered: number;
    failed: number;
    successRate: number | null;
    latencyMs: { p50: number | null; p95: number | null };
  }>;
  topErrors: Array<{ code: string; count: number; lastAt: string }>;
}

const sum = (a: Analytics, key: 'queued' | 'sent' | 'delivered' | 'read' | 'failed') => a.series.reduce((n, p) => n + p[key], 0);

describe('project analytics (GET /projects/:id/analytics, from rollups)', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  let tenant: Tenant;
  let sms: string;
  const since = new Date(Date.now() - 3_600_000).toISOString();

  // `any`: the same call answers an Analytics or a problem.
  const analytics = (query = '', t: Tenant = tenant) =>
    platform.request('GET', `projects/${t.projectId}/analytics${query}`, { token: t.accessToken });
  const send = async (body: Record<string, unknown>): Promise<string> => {
    const res = await platform.request('POST', 'messages', { token: tenant.apiKey, body });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const settled = (id: string, statuses: string[]) =>
    eventually(async () => {
      const res = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
      return statuses.includes(res.body.status) ? res.body : undefined;
    });
  const rollupRows = async () => {
    const rows: Record<string, unknown[]> = {};
    for (const table of ROLLUPS) rows[table] = (await platform.db.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`)).rows;
    return rows;
  };

  beforeAll(async () => {
    [telegram, twilio] = await Promise.all([TelegramFake.start(), TwilioFake.start()]);
    platform = await Platform.start({ env: { PUBLIC_URL } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    sms = await addTwilioConnector(platform, tenant, twilio);

    // Telegram: 4 sent; one to a chat that blocked the bot fails (403), is retried, and fails again.
    telegram.blockChat(777);
    const sent = await Promise.all([1, 2, 3, 4].map((i) => send({ to: '424242', message: `hello ${i}`, connector: 'telegram' })));
    const blocked = await send({ to: '777', message: 'blocked', connector: 'telegram' });
    await Promise.all(sent.map((id) => settled(id, ['sent'])));
    await settled(blocked, ['failed']);
    expect((await platform.request('POST', `messages/${blocked}/retry`, { token: tenant.apiKey })).status).toBe(202);
    await eventually(async () => {
      const res = await platform.request('GET', `messages/${blocked}`, { token: tenant.apiKey });
      return (
        res.body.status === 'failed' &&
        res.body.attempts >= 1 &&
        res.body.events.filter((e: { status: string }) => e.status === 'failed').length === 2
      );
    });

    // Twilio: 3 sent; receipts deliver two (one twice: counted once) and fail one (30003).
    const texts = await Promise.all([1, 2, 3].map((i) => send({ to: '+14155552671', message: `sms ${i}`, connector: 'twilio' })));
    const externalIds = (await Promise.all(texts.map((id) => settled(id, ['sent'])))).map((m) => m.externalId as string);
    const via = { via: platform.baseUrl };
    expect((await twilio.deliverStatusCallback(externalIds[0], 'delivered', via)).status).toBe(200);
    expect((await twilio.deliverStatusCallback(externalIds[0], 'delivered', via)).status).toBe(200);
    expect((await twilio.deliverStatusCallback(externalIds[1], 'delivered', via)).status).toBe(200);
    expect((await twilio.deliverStatusCallback(externalIds[2], 'undelivered', { ...via, errorCode: 30003 })).status).toBe(200);
    await settled(texts[0], ['delivered']);
    await settled(texts[1], ['delivered']);
    await settled(texts[2], ['failed']);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([telegram?.close(), twilio?.close()]);
  });

  it('counts each message once per status reached, per connector, with latency percentiles and the top errors', async () => {
    const res = await analytics(`?interval=hour&from=${since}`);
    expect(res.status).toBe(200);
    const a: Analytics = res.body;
    expect(a.interval).toBe('hour');
    expect(a.from).toBe(new Date(Math.floor(Date.parse(since) / 3_600_000) * 3_600_000).toISOString());
    expect(a.series.length).toBeGreaterThanOrEqual(2);
    expect(a.series.every((p, i) => i === 0 || Date.parse(p.t) - Date.parse(a.series[i - 1].t) === 3_600_000)).toBe(true);
    // 8 accepted (a retry is not a new message); 4 + 3 sent; 2 delivered (a duplicate receipt adds nothing); 2 failed.
    expect([sum(a, 'queued'), sum(a, 'sent'), sum(a, 'delivered'), sum(a, 'read'), sum(a, 'failed')]).toEqual([8, 7, 2, 0, 2]);

    const byType = Object.fromEntries(a.connectors.map((c) => [c.type, c]));
    expect(byType.telegram).toMatchObject({
      id: tenant.connectorId,
      name: 'Bot',
      total: 5,
      sent: 4,
      delivered: 0,
      failed: 1,
      successRate: 0.8,
    });
    expect(byType.twilio).toMatchObject({ id: sms, name: 'sms', total: 3, sent: 3, delivered: 2, failed: 1, successRate: 0.75 });
    for (const c of a.connectors) {
      expect(c.latencyMs.p50).toBeGreaterThanOrEqual(0);
      expect(c.latencyMs.p95).toBeGreaterThanOrEqual(c.latencyMs.p50!);
      expect(c.latencyMs.p95).toBeLessThan(60_000);
    }
    expect(a.topErrors).toEqual([
      { code: '30003', count: 1, lastAt: expect.any(String) },
      { code: '403', count: 1, lastAt: expect.any(String) },
    ]);
  });

  it('sums the same traffic into daily buckets, and narrows to one connector by id or by type', async () => {
    const daily: Analytics = (await analytics(`?interval=day&from=${since}`)).body;
    expect(daily.series.length).toBeLessThanOrEqual(2);
    expect(sum(daily, 'queued')).toBe(8);
    expect(daily.series[0].t).toMatch(/T00:00:00\.000Z$/);

    for (const connector of [sms, 'twilio']) {
      const one: Analytics = (await analytics(`?interval=hour&from=${since}&connector=${connector}`)).body;
      expect(one.connectors.map((c) => c.id)).toEqual([sms]);
      expect([sum(one, 'queued'), sum(one, 'sent'), sum(one, 'delivered'), sum(one, 'failed')]).toEqual([3, 3, 2, 1]);
      expect(one.topErrors.map((e) => e.code)).toEqual(['30003']);
    }
  });

  it('defaults to the last 30 days by day, with zeros where nothing happened', async () => {
    const res = await analytics();
    expect(res.status).toBe(200);
    expect(res.body.interval).toBe('day');
    expect(res.body.series).toHaveLength(31);
    expect(res.body.series[0]).toEqual({ t: expect.any(String), queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 });
    expect(sum(res.body, 'queued')).toBe(8);
  });

  it('answers from the rollups, which a rebuild from the messages reproduces exactly', async () => {
    const before = await rollupRows();
    const answer: Analytics = (await analytics(`?interval=hour&from=${since}`)).body;
    for (const table of ROLLUPS) await platform.db.query(`DELETE FROM ${table}`);
    const emptied: Analytics = (await analytics(`?interval=hour&from=${since}`)).body;
    expect(sum(emptied, 'queued')).toBe(0);
    expect(emptied.topErrors).toEqual([]);

    const rebuilt = spawnSync(process.execPath, [path.join('dist', 'apps', 'dispatcher', 'main.js'), 'rebuild-analytics'], {
      cwd: path.resolve(__dirname, '..'),
      env: platform.env,
      encoding: 'utf8',
    });
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toMatch(/^analytics rebuilt from 8 messages in \d+\.\d s$/m);
    expect(await rollupRows()).toEqual(before);
    expect((await analytics(`?interval=hour&from=${since}`)).body).toEqual({ ...answer, to: expect.any(String) });
  });

  it('keeps counting a deleted connector, without its name', async () => {
    const extra = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
      token: tenant.accessToken,
      body: {
        type: 'telegram',
        name: 'Short-lived',
        credentials: { botToken: telegram.addToken() },
        config: { baseUrl: telegram.baseUrl },
      },
    });
    const id = await send({ to: '424242', message: 'last words', connector: extra.body.id });
    await settled(id, ['sent']);
    expect(
      (await platform.request('DELETE', `projects/${tenant.projectId}/connectors/${extra.body.id}`, { token: tenant.accessToken })).status,
    ).toBe(204);
    const a: Analytics = (await analytics(`?interval=hour&from=${since}`)).body;
    expect(a.connectors.find((c) => c.id === extra.body.id)).toMatchObject({ type: 'telegram', name: null, total: 1, sent: 1 });
    expect(sum(a, 'queued')).toBe(9);
  });

  it.each([
    ['an unknown interval', '?interval=week', 'interval'],
    ['a from that is not a date-time', '?from=yesterday', 'from'],
    ['a from after to', '?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'],
    ['more than 744 hourly buckets', '?interval=hour&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'],
    ['more than 366 daily buckets', '?interval=day&from=2023-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'],
    ['an unknown connector type', '?connector=fax', 'connector'],
    ['an unknown parameter', '?granularity=hour', 'granularity'],
  ])('refuses %s with a 422 naming the field', async (_case, query, field) => {
    const res = await analytics(query);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('https://messagejs.dev/problems/validation-error');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("answers 404 for another user's project, and takes only a dashboard token", async () => {
    const other = await createTenant(platform);
    const res = await analytics('', { ...other, projectId: tenant.projectId });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('https://messagejs.dev/problems/not-found');
    expect(res.text).not.toContain('queued');
    expect((await analytics('', other)).body.series.every((p: { queued: number }) => p.queued === 0)).toBe(true);
    expect((await platform.request('GET', 'projects/not-a-uuid/analytics', { token: tenant.accessToken })).status).toBe(404);
    expect((await platform.request('GET', `projects/${tenant.projectId}/analytics`)).status).toBe(401);
    expect((await platform.request('GET', `projects/${tenant.projectId}/analytics`, { token: tenant.apiKey })).status).toBe(403);
  });
});
