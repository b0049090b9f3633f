import { STATUS_EVENTS_QUEUE } from '@app/contracts';
import { TelegramFake } from './fakes/telegram.fake';
import { TwilioFake } from './fakes/twilio.fake';
import { eventually, Platform } from './support/platform';
import { addTwilioConnector, createTenant, Tenant } from './support/tenant';
import { Receiver, signatureIsValid } from './support/webhook-receiver';

jest.setTimeout(90_000);

const MESSAGE_OBJECT_KEYS = [
  'id',
  'projectId',
  'connector',
  'to',
  'status',
  'externalId',
  'error',
  'attempts',
  'metadata',
  'createdAt',
  'updatedAt',
  'sentAt',
  'deliveredAt',
];

describe('webhooks (Standard Webhooks, end to end)', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  let receiver: Receiver;
  let tenant: Tenant;

  const webhooks = (t: Tenant = tenant) => `projects/${t.projectId}/webhooks`;
  const createEndpoint = (body: unknown, t: Tenant = tenant) => platform.request('POST', webhooks(t), { token: t.accessToken, body });
  const deliveries = (webhookId: string, query = '', t: Tenant = tenant) =>
    platform.request('GET', `${webhooks(t)}/${webhookId}/deliveries${query}`, { token: t.accessToken });
  const send = async (text: string): Promise<string> => {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '424242', message: text, connector: 'telegram', metadata: { ref: text } },
    });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  beforeAll(async () => {
    [telegram, twilio, receiver] = await Promise.all([TelegramFake.start(), TwilioFake.start(), Receiver.start()]);
    platform = await Platform.start({
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001', PUBLIC_URL: 'https://messagejs.example.test' },
    });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    await addTwilioConnector(platform, tenant, twilio);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([receiver?.close(), telegram?.close(), twilio?.close()]);
  });

  it('shows the whsec_ secret once, stores it sealed, and never lists it', async () => {
    const created = await createEndpoint({ url: receiver.url('/secret-once'), events: ['message.failed'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: receiver.url('/secret-once'),
      events: ['message.failed'],
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      previousSecretExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(Buffer.from(created.body.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const { secret, ...view } = created.body;

    const listed = await platform.request('GET', webhooks(), { token: tenant.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toContainEqual(view);
    expect(listed.text).not.toContain('whsec_');
    const got = await platform.request('GET', `${webhooks()}/${view.id}`, { token: tenant.accessToken });
    expect(got.body).toEqual(view);

    const row = await platform.db.query('SELECT secret_sealed FROM webhook_endpoints WHERE id = $1', [view.id]);
    expect(row.rows[0].secret_sealed).toMatch(/^v1\./);
    expect(row.rows[0].secret_sealed).not.toContain(secret.slice('whsec_'.length));
    expect(platform.logs.join('\n')).not.toContain(secret.slice('whsec_'.length));
  });

  it('delivers message.queued and message.sent, signed, each with the full message object', async () => {
    const created = await createEndpoint({ url: receiver.url('/events'), events: ['message.queued', 'message.sent'] });
    expect(created.status).toBe(201);
    const messageId = await send('webhooks please');

    const [queued, sent] = await eventually(async () => {
      const q = receiver.at('/events', messageId, 'message.queued');
      const s = receiver.at('/events', messageId, 'message.sent');
      return q.length && s.length ? [q[0], s[0]] : undefined;
    });
    for (const r of [queued, sent]) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - r.at / 1000)).toBeLessThan(5);
      expect(signatureIsValid(created.body.secret, r)).toBe(true);
      expect(signatureIsValid(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, r)).toBe(false);
      expect(Object.keys(r.event).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(Object.keys(r.event.data).sort()).toEqual([...MESSAGE_OBJECT_KEYS].sort());
      expect(r.event.data).toMatchObject({
        id: messageId,
        projectId: tenant.projectId,
        connector: { id: tenant.connectorId, type: 'telegram' },
        to: '424242',
        metadata: { ref: 'webhooks please' },
      });
    }
    expect(queued.headers['webhook-id']).not.toBe(sent.headers['webhook-id']);
    expect(sent.event.data).toMatchObject({
      status: 'sent',
      externalId: expect.stringMatching(/^424242:\d+$/),
      sentAt: expect.any(String),
      error: null,
    });
    const message = (await platform.request('GET', `messages/${messageId}`, { token: tenant.apiKey })).body;
    expect(sent.event.timestamp).toBe(message.events.find((e: { status: string }) => e.status === 'sent').at);
    expect(queued.event.timestamp).toBe(message.createdAt);

    const log = await eventually(async () => {
      const res = await deliveries(created.body.id);
      return res.body.data?.filter((d: { messageId: string; status: string }) => d.messageId === messageId && d.status === 'succeeded')
        .length === 2
        ? res
        : undefined;
    });
    expect(log.status).toBe(200);
    expect(log.body.data[0]).toEqual({
      id: expect.any(String),
      webhookId: expect.stringMatching(/^msg_/),
      messageId,
      eventType: expect.stringMatching(/^message\.(queued|sent)$/),
      replay: 0,
      attempt: 1,
      status: 'succeeded',
      responseStatus: 200,
      durationMs: expect.any(Number),
      error: null,
      nextAttemptAt: null,
      createdAt: expect.any(String),
    });
  });

  it('delivers message.delivered when a provider receipt moves the message', async () => {
    const created = await createEndpoint({ url: receiver.url('/receipts'), events: ['message.delivered'] });
    const accepted = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '+14155552671', message: 'receipt', connector: 'twilio' },
    });
    expect(accepted.status).toBe(202);
    const sent = await eventually(async () => {
      const res = await platform.request('GET', `messages/${accepted.body.id}`, { token: tenant.apiKey });
      return res.body.status === 'sent' ? res.body : undefined;
    });
    // Twilio posts to PUBLIC_URL; the "proxy" hands the request to the gateway's own address.
    expect((await twilio.deliverStatusCallback(sent.externalId, 'delivered', { via: platform.baseUrl })).status).toBe(200);

    const delivered = await eventually(async () => receiver.at('/receipts', accepted.body.id)[0]);
    expect(delivered.event).toMatchObject({
      type: 'message.delivered',
      data: { id: accepted.body.id, status: 'delivered', deliveredAt: expect.any(String) },
    });
    expect(signatureIsValid(created.body.secret, delivered)).toBe(true);
    // A duplicate receipt moves nothing, so it sends nothing. Its answer comes after any status event it
    // caused was queued; once the status-event queue is empty, every delivery it fanned out is recorded.
    expect((await twilio.deliverStatusCallback(sent.externalId, 'delivered', { via: platform.baseUrl })).status).toBe(200);
    await platform.queuesIdle([STATUS_EVENTS_QUEUE], ['wait', 'active']);
    const recorded = await platform.db.query(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND message_id = $2',
      [created.body.id, accepted.body.id],
    );
    expect(recorded.rows[0].n).toBe(1);
    expect(receiver.at('/receipts', accepted.body.id)).toHaveLength(1);
  });

  it('retries a 500 with the same webhook-id and the same bytes, and lists every attempt', async () => {
    receiver.answer('/flaky', 500);
    const created = await createEndpoint({ url: receiver.url('/flaky'), events: ['message.sent'] });
    const messageId = await send('flaky endpoint');

    const [first, second] = await eventually(async () => {
      const got = receiver.at('/flaky', messageId);
      return got.length >= 2 ? got : undefined;
    });
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(Number(first.headers['webhook-timestamp']));
    expect(signatureIsValid(created.body.secret, first)).toBe(true);
    expect(signatureIsValid(created.body.secret, second)).toBe(true);

    const attempts = await eventually(async () => {
      const res = await deliveries(created.body.id);
      const mine = (res.body.data ?? []).filter((d: { messageId: string }) => d.messageId === messageId);
      return mine.length === 2 && mine[0].status === 'succeeded' ? mine : undefined;
    });
    expect(attempts).toEqual([
      expect.objectContaining({
        attempt: 2,
        status: 'succeeded',
        responseStatus: 200,
        durationMs: expect.any(Number),
        error: null,
        webhookId: first.headers['webhook-id'],
      }),
      expect.objectContaining({
        attempt: 1,
        status: 'retrying',
        responseStatus: 500,
        durationMs: expect.any(Number),
        nextAttemptAt: expect.any(String),
        webhookId: first.headers['webhook-id'],
      }),
    ]);
    expect(receiver.at('/flaky', messageId)).toHaveLength(2);

    const page1 = await deliveries(created.body.id, '?limit=1');
    expect(page1.body.data).toEqual([attempts[0]]);
    const page2 = await deliveries(created.body.id, `?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.data).toEqual([attempts[1]]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await deliveries(created.body.id, '?cursor=nonsense')).status).toBe(422);
  });

  it('forgets delivery attempts older than WEBHOOK_DELIVERY_RETENTION_DAYS (30 by default), and only those', async () => {
    const created = await createEndpoint({ url: receiver.url('/kept'), events: ['message.sent'] });
    const [oldId, newId] = [await send('old delivery'), await send('new delivery')];
    const rowsOf = async () => {
      const res = await deliveries(created.body.id);
      return (res.body.data as Array<{ id: string; messageId: string; status: string }>).filter((d) => d.status === 'succeeded');
    };
    await eventually(async () => (await rowsOf()).length === 2);
    // Every endpoint of the project got this message's events; all of its attempts age together.
    const aged = await platform.db.query(`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE message_id = $1`, [
      oldId,
    ]);
    await platform.db.query(`UPDATE webhook_deliveries SET created_at = now() - interval '29 days' WHERE message_id = $1`, [newId]);
    // The sweep runs soon after the app starts, then hourly.
    expect(await platform.terminate('webhooks')).toBe(0);
    await platform.startApp('webhooks');
    await eventually(async () => (await rowsOf()).length === 1);
    expect((await rowsOf()).map((d) => d.messageId)).toEqual([newId]);
    // The sweep says what it did once its loop ends, a moment after the rows are gone.
    await eventually(
      async () => platform.logs.some((line) => line.includes(`deleted ${aged.rowCount} webhook delivery attempts older than 30 days`)),
      5_000,
    );
  });

  it('disables an endpoint that answers 410 and sends it nothing more until it is re-enabled', async () => {
    receiver.answer('/gone', 410);
    const gone = await createEndpoint({ url: receiver.url('/gone'), events: ['message.sent'] });
    const witness = await createEndpoint({ url: receiver.url('/witness'), events: ['message.sent'] });
    const first = await send('to a gone endpoint');

    const disabled = await eventually(async () => {
      const res = await platform.request('GET', `${webhooks()}/${gone.body.id}`, { token: tenant.accessToken });
      return res.body.enabled === false ? res.body : undefined;
    });
    expect(disabled).toMatchObject({ enabled: false, disabledAt: expect.any(String), disabledReason: 'the endpoint answered 410 Gone' });
    expect((await deliveries(gone.body.id)).body.data).toEqual([
      expect.objectContaining({
        messageId: first,
        attempt: 1,
        status: 'failed',
        responseStatus: 410,
        error: 'the endpoint answered 410 Gone: endpoint disabled',
      }),
    ]);

    const second = await send('after the 410');
    await eventually(async () => receiver.at('/witness', second).length > 0);
    // One statement records the deliveries of every endpoint of an event before any is sent: the witness
    // got its delivery, so a delivery to the disabled endpoint would be recorded by now.
    const toGone = await platform.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND message_id = $2', [
      gone.body.id,
      second,
    ]);
    expect(toGone.rows[0].n).toBe(0);
    expect(receiver.at('/gone')).toHaveLength(1);

    const enabled = await platform.request('PATCH', `${webhooks()}/${gone.body.id}`, {
      token: tenant.accessToken,
      body: { enabled: true },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null });
    const third = await send('re-enabled');
    await eventually(async () => receiver.at('/gone', third).length > 0);
    expect(receiver.at('/gone', second)).toHaveLength(0);
    expect(witness.status).toBe(201);
  });

  it('edits and deletes an endpoint, and refuses bad input by field', async () => {
    const created = await createEndpoint({ url: receiver.url('/edit'), events: ['message.sent'] });
    const path = `${webhooks()}/${created.body.id}`;
    const patched = await platform.request('PATCH', path, {
      token: tenant.accessToken,
      body: { url: receiver.url('/edited'), events: ['message.read', 'message.delivered'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: receiver.url('/edited'), events: ['message.delivered', 'message.read'], enabled: true });
    expect(patched.body.secret).toBeUndefined();

    const refusals: Array<[unknown, string]> = [
      [{ url: receiver.url('/x'), events: [] }, 'events'],
      [{ url: receiver.url('/x'), events: ['message.sending'] }, 'events'],
      [{ url: 'ftp://example.com/hook', events: ['message.sent'] }, 'url'],
      [{ url: 'not a url', events: ['message.sent'] }, 'url'],
      [{ events: ['message.sent'] }, 'url'],
      [{ url: receiver.url('/x'), events: ['message.sent'], secret: 'whsec_mine' }, 'secret'],
    ];
    for (const [body, field] of refusals) {
      const res = await createEndpoint(body);
      expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([422, expect.arrayContaining([field])]);
    }
    expect((await platform.request('PATCH', path, { token: tenant.accessToken, body: { enabled: 'yes' } })).status).toBe(422);

    expect((await platform.request('DELETE', path, { token: tenant.accessToken })).status).toBe(204);
    expect((await platform.request('GET', path, { token: tenant.accessToken })).status).toBe(404);
    expect((await deliveries(created.body.id)).status).toBe(404);
  });

  it("answers 404 for another tenant's endpoints and project", async () => {
    const created = await createEndpoint({ url: receiver.url('/private'), events: ['message.sent'] });
    const other = await createTenant(platform);
    const theirs = { ...other, projectId: tenant.projectId };
    const path = `${webhooks(theirs)}/${created.body.id}`;
    expect((await platform.request('GET', path, { token: other.accessToken })).status).toBe(404);
    expect((await platform.request('PATCH', path, { token: other.accessToken, body: { enabled: false } })).status).toBe(404);
    expect((await platform.request('DELETE', path, { token: other.accessToken })).status).toBe(404);
    expect((await deliveries(created.body.id, '', theirs)).status).toBe(404);
    expect((await platform.request('GET', webhooks(theirs), { token: other.accessToken })).status).toBe(404);
    expect((await createEndpoint({ url: receiver.url('/x'), events: ['message.sent'] }, theirs)).status).toBe(404);
    // Their own project does not see it either.
    expect(
      (await platform.request('GET', `projects/${other.projectId}/webhooks/${created.body.id}`, { token: other.accessToken })).status,
    ).toBe(404);
    expect(
      (await platform.request('GET', `projects/${tenant.projectId}/webhooks/${created.body.id}`, { token: tenant.accessToken })).body
        .enabled,
    ).toBe(true);
  });
});

describe('webhooks SSRF guard (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let receiver: Receiver;
  let tenant: Tenant;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    receiver = await Receiver.start();
    platform = await Platform.start({ env: { WEBHOOK_RETRY_SCALE: '0.001' } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
  });

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
    await telegram?.close();
  });

  const create = (url: string) =>
    platform.request('POST', `projects/${tenant.projectId}/webhooks`, {
      token: tenant.accessToken,
      body: { url, events: ['message.sent'] },
    });

  it.each([
    ['http://127.0.0.1/hook', '127.0.0.1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a metadata address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a metadata address'],
    ['http://10.0.0.8:8080/hook', '10.0.0.8 is a private address'],
    ['http://[::1]:3000/', '::1 is a loopback address'],
    ['http://localhost:3000/hook', 'a loopback address'],
  ])('refuses %s with 422 on url', async (url, reason) => {
    const res = await create(url);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining(reason) }]);
  });

  it('refuses a PATCH to a private address too', async () => {
    const created = await create('http://93.184.215.14/hook');
    expect(created.status).toBe(201);
    const res = await platform.request('PATCH', `projects/${tenant.projectId}/webhooks/${created.body.id}`, {
      token: tenant.accessToken,
      body: { url: 'http://192.168.1.10/hook' },
    });
    expect(res.status).toBe(422);
    await platform.request('DELETE', `projects/${tenant.projectId}/webhooks/${created.body.id}`, { token: tenant.accessToken });
  });

  it('checks again at delivery: an endpoint that now points at a private address is not called', async () => {
    const literal = await create('http://93.184.215.14/literal');
    const named = await create('http://93.184.215.14/named');
    // As if the stored URL (or its DNS) had changed since it was checked.
    await platform.db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [literal.body.id, receiver.url('/literal')]);
    await platform.db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [named.body.id, receiver.url('/named', 'localhost')]);
    const sent = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '424242', message: 'ssrf', connector: 'telegram' },
    });
    expect(sent.status).toBe(202);

    for (const [endpoint, reason] of [
      [literal, '127.0.0.1 is a loopback address'],
      [named, /^localhost resolves to (127\.0\.0\.1|::1), a loopback address$/],
    ] as const) {
      const attempt = await eventually(async () => {
        const res = await platform.request('GET', `projects/${tenant.projectId}/webhooks/${endpoint.body.id}/deliveries`, {
          token: tenant.accessToken,
        });
        return res.body.data?.find((d: { attempt: number; status: string }) => d.attempt === 1 && d.status !== 'pending');
      });
      expect(attempt).toMatchObject({ status: 'retrying', responseStatus: null, error: expect.stringMatching(reason) });
    }
    expect(receiver.received).toHaveLength(0);
  });
});
