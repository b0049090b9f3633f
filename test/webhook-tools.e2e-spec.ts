import { randomUUID } from 'node:crypto';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';
import { Receiver, signatureIsValid } from './support/webhook-receiver';

jest.setTimeout(90_000);

interface Delivery {
  id: string;
  webhookId: string;
  messageId: string | null;
  eventType: string;
  replay: number;
  attempt: number;
  status: string;
  responseStatus: number | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
}

describe('webhook tools: secret rotation, test events and replays', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let receiver: Receiver;
  let tenant: Tenant;

  const webhooks = (t: Tenant = tenant) => `projects/${t.projectId}/webhooks`;
  const createEndpoint = async (path: string, events = ['message.sent']) => {
    const res = await platform.request('POST', webhooks(), { token: tenant.accessToken, body: { url: receiver.url(path), events } });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const post = (path: string, t: Tenant = tenant) => platform.request('POST', path, { token: t.accessToken });
  const log = async (endpointId: string): Promise<Delivery[]> =>
    (await platform.request('GET', `${webhooks()}/${endpointId}/deliveries?limit=100`, { token: tenant.accessToken })).body.data;
  const send = async (text: string): Promise<string> => {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '424242', message: text, connector: 'telegram' },
    });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  beforeAll(async () => {
    [telegram, receiver] = await Promise.all([TelegramFake.start(), Receiver.start()]);
    platform = await Platform.start({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001' } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([receiver?.close(), telegram?.close()]);
  });

  it('rotates the secret: for 24 h deliveries carry both signatures, the new one first; then only the new one', async () => {
    const endpoint = await createEndpoint('/rotated');
    const before = Date.now();
    const rotated = await post(`${webhooks()}/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      previousSecretExpiresAt: expect.any(String),
    });
    const { secret } = rotated.body as { secret: string; previousSecretExpiresAt: string };
    expect(secret).not.toBe(endpoint.secret);
    const overlapHours = (Date.parse(rotated.body.previousSecretExpiresAt) - before) / 3_600_000;
    expect(overlapHours).toBeGreaterThanOrEqual(24);
    expect(overlapHours).toBeLessThan(24.1);
    const shown = await platform.request('GET', `${webhooks()}/${endpoint.id}`, { token: tenant.accessToken });
    expect(shown.body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
    expect(shown.text).not.toContain('whsec_');

    const during = await send('during the overlap');
    const both = await eventually(async () => receiver.at('/rotated', during)[0]);
    const signatures = String(both.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true);
    expect(signatureIsValid(secret, both)).toBe(true);
    expect(signatureIsValid(endpoint.secret, both)).toBe(true);
    expect(signatureIsValid(secret, { ...both, headers: { ...both.headers, 'webhook-signature': signatures[0] } })).toBe(true);

    // The overlap ends: the old secret stops signing.
    await platform.db.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [
      endpoint.id,
    ]);
    const after = await send('after the overlap');
    const single = await eventually(async () => receiver.at('/rotated', after)[0]);
    expect(String(single.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(signatureIsValid(secret, single)).toBe(true);
    expect(signatureIsValid(endpoint.secret, single)).toBe(false);
    expect(
      (await platform.request('GET', `${webhooks()}/${endpoint.id}`, { token: tenant.accessToken })).body.previousSecretExpiresAt,
    ).toBeNull();

    const stored = await platform.db.query('SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints WHERE id = $1', [
      endpoint.id,
    ]);
    const plain = [secret, endpoint.secret].map((s) => s.slice('whsec_'.length));
    for (const sealed of Object.values<string>(stored.rows[0])) {
      expect(sealed).toMatch(/^v1\./);
      for (const p of plain) expect(sealed).not.toContain(p);
    }
    for (const p of plain) expect(platform.logs.join('\n')).not.toContain(p);
  });

  it('delivers a webhook.test event at once, signed, and logs it like any delivery', async () => {
    const endpoint = await createEndpoint('/test-event');
    const res = await post(`${webhooks()}/${endpoint.id}/test`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      webhookId: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
      messageId: null,
      eventType: 'webhook.test',
      replay: 0,
      attempt: 1,
      status: 'pending',
      responseStatus: null,
      durationMs: null,
      error: null,
      nextAttemptAt: null,
      createdAt: expect.any(String),
    });
    const got = await eventually(async () => receiver.at('/test-event', undefined, 'webhook.test')[0]);
    expect(got.headers['webhook-id']).toBe(res.body.webhookId);
    expect(signatureIsValid(endpoint.secret, got)).toBe(true);
    expect(got.event).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { endpointId: endpoint.id, projectId: tenant.projectId, message: expect.any(String) },
    });
    const logged = await eventually(async () => (await log(endpoint.id)).find((d) => d.id === res.body.id && d.status === 'succeeded'));
    expect(logged).toMatchObject({ eventType: 'webhook.test', messageId: null, responseStatus: 200, durationMs: expect.any(Number) });
  });

  it('shows a failing test delivery with its status code and the time of the next attempt', async () => {
    receiver.answer('/test-failing', 503, 503);
    const endpoint = await createEndpoint('/test-failing');
    const res = await post(`${webhooks()}/${endpoint.id}/test`);
    expect(res.status).toBe(202);
    const attempts = await eventually(async () => {
      const rows = (await log(endpoint.id)).filter((d) => d.webhookId === res.body.webhookId);
      return rows.length === 3 && rows[0].status === 'succeeded' ? rows : undefined;
    });
    expect(attempts.map((d) => [d.attempt, d.status, d.responseStatus])).toEqual([
      [3, 'succeeded', 200],
      [2, 'retrying', 503],
      [1, 'retrying', 503],
    ]);
    for (const d of attempts.slice(1)) expect(Date.parse(d.nextAttemptAt!)).not.toBeNaN();
  });

  it('replays a logged delivery: same payload and webhook-id, fresh timestamp and signature, a new log row', async () => {
    const endpoint = await createEndpoint('/replayed');
    const messageId = await send('replay me');
    const [original] = await eventually(async () => {
      const rows = (await log(endpoint.id)).filter((d) => d.messageId === messageId && d.status === 'succeeded');
      return rows.length ? rows : undefined;
    });
    const first = receiver.at('/replayed', messageId)[0];

    const res = await post(`${webhooks()}/${endpoint.id}/deliveries/${original.id}/replay`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      webhookId: original.webhookId,
      messageId,
      eventType: 'message.sent',
      replay: 1,
      attempt: 1,
      status: 'pending',
    });
    expect(res.body.id).not.toBe(original.id);
    const again = await eventually(async () => receiver.at('/replayed', messageId)[1]);
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.event).toEqual(first.event);
    expect(Number(again.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(Number(first.headers['webhook-timestamp']));
    expect(signatureIsValid(endpoint.secret, again)).toBe(true);

    const second = await post(`${webhooks()}/${endpoint.id}/deliveries/${res.body.id}/replay`);
    expect(second.body.replay).toBe(2);
    const rows = await eventually(async () => {
      const mine = (await log(endpoint.id)).filter((d) => d.webhookId === original.webhookId);
      return mine.length === 3 && mine.every((d) => d.status === 'succeeded') ? mine : undefined;
    });
    expect(rows.map((d) => d.replay).sort()).toEqual([0, 1, 2]);
    expect(receiver.at('/replayed', messageId)).toHaveLength(3);
  });

  it('sends nothing to a disabled endpoint (409) until it is enabled again', async () => {
    const endpoint = await createEndpoint('/disabled');
    await post(`${webhooks()}/${endpoint.id}/test`);
    const [delivery] = await eventually(async () => {
      const rows = (await log(endpoint.id)).filter((d) => d.status === 'succeeded');
      return rows.length ? rows : undefined;
    });
    await platform.request('PATCH', `${webhooks()}/${endpoint.id}`, { token: tenant.accessToken, body: { enabled: false } });
    for (const path of [`${webhooks()}/${endpoint.id}/test`, `${webhooks()}/${endpoint.id}/deliveries/${delivery.id}/replay`]) {
      const refused = await post(path);
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('https://messagejs.dev/problems/conflict');
      expect(refused.body.detail).toMatch(/disabled/);
    }
    expect(await log(endpoint.id)).toHaveLength(1);
    await platform.request('PATCH', `${webhooks()}/${endpoint.id}`, { token: tenant.accessToken, body: { enabled: true } });
    expect((await post(`${webhooks()}/${endpoint.id}/test`)).status).toBe(202);
    await eventually(async () => (await log(endpoint.id)).filter((d) => d.status === 'succeeded').length === 2);
  });

  it("answers 404 for another tenant's endpoint or delivery, and for a delivery of another endpoint", async () => {
    const endpoint = await createEndpoint('/isolated');
    const sibling = await createEndpoint('/sibling');
    await post(`${webhooks()}/${endpoint.id}/test`);
    const [delivery] = await eventually(async () => {
      const rows = await log(endpoint.id);
      return rows.length ? rows : undefined;
    });
    const other = await createTenant(platform);
    const theirs = { ...other, projectId: tenant.projectId };
    const paths = (t: Tenant) => [
      `${webhooks(t)}/${endpoint.id}/rotate-secret`,
      `${webhooks(t)}/${endpoint.id}/test`,
      `${webhooks(t)}/${endpoint.id}/deliveries/${delivery.id}/replay`,
    ];
    for (const path of [...paths(theirs), ...paths(other)]) {
      const res = await post(path, other);
      expect([path, res.status, res.body.type]).toEqual([path, 404, 'https://messagejs.dev/problems/not-found']);
    }
    expect((await post(`${webhooks()}/${sibling.id}/deliveries/${delivery.id}/replay`)).status).toBe(404);
    expect((await post(`${webhooks()}/${endpoint.id}/deliveries/${randomUUID()}/replay`)).status).toBe(404);
    expect((await post(`${webhooks()}/${endpoint.id}/deliveries/not-a-uuid/replay`)).status).toBe(404);
    // Nothing moved: the secret is the one shown at creation, and nothing else was delivered.
    expect(await log(endpoint.id)).toHaveLength(1);
    expect(await log(sibling.id)).toHaveLength(0);
  });

  it('takes only a dashboard token', async () => {
    const endpoint = await createEndpoint('/auth');
    const path = `${webhooks()}/${endpoint.id}/test`;
    expect((await platform.request('POST', path)).status).toBe(401);
    expect((await platform.request('POST', path, { token: tenant.apiKey })).status).toBe(403);
  });

  it('limits test events and replays to 60 a minute per user (429 with Retry-After)', async () => {
    const user = await createTenant(platform);
    const path = `projects/${randomUUID()}/webhooks/${randomUUID()}/test`;
    for (let i = 0; i < 60; i++) expect((await post(path, user)).status).toBe(404);
    const limited = await post(path, user);
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe('https://messagejs.dev/problems/rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other users are not affected.
    expect((await post(path)).status).toBe(404);
  });
});
