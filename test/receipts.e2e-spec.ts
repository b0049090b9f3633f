import { randomBytes } from 'node:crypto';
import { TwilioFake } from './fakes/twilio.fake';
import { WhatsAppFake, WhatsAppFakeStatus } from './fakes/whatsapp.fake';
import { eventually, Platform } from './support/platform';
import { addTwilioConnector, addWhatsAppConnector, createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

/** Not where the gateway listens: as behind a reverse proxy, providers call PUBLIC_URL and the proxy forwards. */
const PUBLIC_URL = 'https://messagejs.example.test';
const APP_SECRET = 'app-secret-0123456789';
const VERIFY_TOKEN = 'verify-token-0123456789';
const TO = '+14155552671';

interface Event {
  status: string;
  at: string;
  code?: string;
  detail?: string;
}

/** Provider receipts end to end: Twilio StatusCallback and WhatsApp webhooks, signed by the fakes. */
describe('provider receipts', () => {
  let platform: Platform;
  let twilio: TwilioFake;
  let whatsapp: WhatsAppFake;
  let tenant: Tenant;
  const connectors: Record<'twilio' | 'whatsapp', string> = { twilio: '', whatsapp: '' };

  beforeAll(async () => {
    [twilio, whatsapp] = await Promise.all([TwilioFake.start(), WhatsAppFake.start()]);
    platform = await Platform.start({ env: { PUBLIC_URL } });
    tenant = await createTenant(platform);
    const fast = { maxPerSecond: 1000 };
    connectors.twilio = await addTwilioConnector(platform, tenant, twilio, fast);
    connectors.whatsapp = await addWhatsAppConnector(
      platform,
      tenant,
      whatsapp,
      { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
      fast,
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([twilio?.close(), whatsapp?.close()]);
  });

  const get = async (id: string) => (await platform.request('GET', `messages/${id}`, { token: tenant.apiKey })).body;
  const statuses = (message: { events: Event[] }) => message.events.map((e) => e.status);
  const reaches = (id: string, status: string) =>
    eventually(async () => {
      const message = await get(id);
      return message.status === status ? message : undefined;
    });

  /** Sends one message and waits until the provider's reply is stored; returns the message. */
  async function sent(connector: 'twilio' | 'whatsapp'): Promise<{ id: string; externalId: string; events: Event[] }> {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: TO, message: `receipt test ${randomBytes(4).toString('hex')}`, connector },
    });
    expect(res.status).toBe(202);
    return reaches(res.body.id, 'sent');
  }

  /** Twilio posts to PUBLIC_URL; the "proxy" hands the request to the gateway's own address. */
  const twilioCallback = (sid: string, status: Parameters<TwilioFake['deliverStatusCallback']>[1], opts: { errorCode?: number } = {}) =>
    twilio.deliverStatusCallback(sid, status, { ...opts, via: platform.baseUrl });

  const postTwilio = (connectorId: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    platform.request('POST', `callbacks/twilio/${connectorId}`, {
      raw: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  const postWhatsApp = (body: string, signature: string | undefined, connectorId = connectors.whatsapp) =>
    platform.request('POST', `callbacks/whatsapp/${connectorId}`, {
      raw: body,
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
    });

  const whatsappStatus = (update: Omit<WhatsAppFakeStatus, 'recipient'>, secret = APP_SECRET) => {
    const { body, signature } = whatsapp.statusWebhook({ recipient: TO.slice(1), ...update }, secret);
    return postWhatsApp(body, signature);
  };

  describe('twilio', () => {
    it('gives Twilio a StatusCallback built from PUBLIC_URL', async () => {
      const message = await sent('twilio');
      expect(twilio.message(message.externalId)?.statusCallback).toBe(`${PUBLIC_URL}/api/v1/callbacks/twilio/${connectors.twilio}`);
    });

    it('moves a sent message to delivered on a signed callback that came through the proxy, as one event', async () => {
      const message = await sent('twilio');
      const res = await twilioCallback(message.externalId, 'delivered');
      expect(res.status).toBe(200);
      const after = await get(message.id);
      expect(after.status).toBe('delivered');
      expect(after.deliveredAt).toEqual(expect.any(String));
      expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    });

    it('refuses a forged or missing X-Twilio-Signature with 403 and changes nothing', async () => {
      const message = await sent('twilio');
      const params = twilio.statusCallback(message.externalId, 'delivered');
      const forged = await postTwilio(connectors.twilio, params, { 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==' });
      const missing = await postTwilio(connectors.twilio, params);
      for (const res of [forged, missing]) {
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ type: 'https://messagejs.dev/problems/forbidden', status: 403 });
      }
      const after = await get(message.id);
      expect(after.status).toBe('sent');
      expect(after.events).toEqual(message.events);
    });

    it('answers 404 for an unknown connector, or one of another type', async () => {
      const message = await sent('twilio');
      const params = twilio.statusCallback(message.externalId, 'delivered');
      expect((await postTwilio('00000000-0000-4000-8000-000000000000', params)).status).toBe(404);
      expect((await postTwilio(connectors.whatsapp, params)).status).toBe(404);
      expect((await postTwilio('not-a-uuid', params)).status).toBe(404);
    });

    it('never moves back: a late sent after delivered changes nothing', async () => {
      const message = await sent('twilio');
      await twilioCallback(message.externalId, 'delivered');
      const late = await twilioCallback(message.externalId, 'sent');
      expect(late.status).toBe(200);
      const after = await get(message.id);
      expect(after.status).toBe('delivered');
      expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    });

    it('records a duplicate receipt once, even when the copies arrive together', async () => {
      const message = await sent('twilio');
      const copies = await Promise.all([1, 2, 3, 4].map(() => twilioCallback(message.externalId, 'delivered')));
      expect(copies.map((c) => c.status)).toEqual([200, 200, 200, 200]);
      await twilioCallback(message.externalId, 'delivered');
      expect(statuses(await get(message.id))).toEqual(['queued', 'sending', 'sent', 'delivered']);
    });

    it("fails a sent message on undelivered with Twilio's ErrorCode, but ignores it once delivered", async () => {
      const sentOnly = await sent('twilio');
      expect((await twilioCallback(sentOnly.externalId, 'undelivered', { errorCode: 30003 })).status).toBe(200);
      const failed = await get(sentOnly.id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toEqual({ code: '30003', message: 'Twilio reported the message undelivered: Unreachable destination handset' });
      expect(failed.events.at(-1)).toMatchObject({ status: 'failed', code: '30003' });

      const delivered = await sent('twilio');
      await twilioCallback(delivered.externalId, 'delivered');
      await twilioCallback(delivered.externalId, 'undelivered', { errorCode: 30003 });
      const after = await get(delivered.id);
      expect(after.status).toBe('delivered');
      expect(after.error).toBeNull();
      expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    });

    // Needs the dispatcher to call ReceiptsService.applyPending after recording a send (else the 5 s sweep applies it).
    it('keeps a receipt that beats the send reply and applies it once the send is recorded', async () => {
      twilio.replyDelayMs = 3_000;
      try {
        const before = twilio.sent.length;
        const res = await platform.request('POST', 'messages', {
          token: tenant.apiKey,
          body: { to: TO, message: 'early bird', connector: 'twilio' },
        });
        const [created] = (await twilio.waitForSent(before + 1, 10_000)).slice(before);
        expect((await twilioCallback(created.sid, 'delivered')).status).toBe(200);
        const early = await get(res.body.id);
        expect(early.externalId).toBeNull();
        expect(['queued', 'sending']).toContain(early.status);
        const pending = await platform.db.query('SELECT status FROM pending_receipts WHERE external_id = $1', [created.sid]);
        expect(pending.rows).toEqual([{ status: 'delivered' }]);

        const after = await reaches(res.body.id, 'delivered');
        expect(after.externalId).toBe(created.sid);
        expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
        const left = await platform.db.query('SELECT count(*)::int AS n FROM pending_receipts WHERE external_id = $1', [created.sid]);
        expect(left.rows[0].n).toBe(0);
      } finally {
        twilio.replyDelayMs = 0;
      }
    });
  });

  describe('whatsapp', () => {
    const challenge = (query: string, connectorId = connectors.whatsapp) =>
      platform.request('GET', `callbacks/whatsapp/${connectorId}?${query}`);

    it("echoes hub.challenge for subscribe with the connector's verifyToken, and refuses anything else", async () => {
      const ok = await challenge(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(ok.text).toBe('1158201444');
      expect((await challenge(`hub.mode=subscribe&hub.verify_token=wrong-token-0000&hub.challenge=1`)).status).toBe(403);
      expect((await challenge(`hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403);
      expect((await challenge(`hub.challenge=1`)).status).toBe(403);
      expect((await challenge(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, connectors.twilio)).status).toBe(404);
    });

    it('applies signed statuses delivered then read, each as one event', async () => {
      const message = await sent('whatsapp');
      const delivered = await whatsappStatus({ wamid: message.externalId, status: 'delivered' });
      expect(delivered.status).toBe(200);
      expect(delivered.body).toEqual({ received: 1 });
      expect((await get(message.id)).status).toBe('delivered');
      expect((await whatsappStatus({ wamid: message.externalId, status: 'read' })).status).toBe(200);
      const after = await get(message.id);
      expect(after.status).toBe('read');
      expect(after.deliveredAt).toEqual(expect.any(String));
      expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered', 'read']);
      // Late copies of either change nothing.
      await whatsappStatus({ wamid: message.externalId, status: 'delivered' });
      await whatsappStatus({ wamid: message.externalId, status: 'read' });
      expect(statuses(await get(message.id))).toEqual(['queued', 'sending', 'sent', 'delivered', 'read']);
    });

    it('fails a sent message with the error of a failed status', async () => {
      const message = await sent('whatsapp');
      const res = await whatsappStatus({
        wamid: message.externalId,
        status: 'failed',
        errors: [{ code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' }],
      });
      expect(res.status).toBe(200);
      const after = await get(message.id);
      expect(after.status).toBe('failed');
      expect(after.error.code).toBe('131026');
      expect(after.events.at(-1)).toMatchObject({ status: 'failed', code: '131026' });
    });

    it('refuses a bad or missing X-Hub-Signature-256 with 403 and changes nothing', async () => {
      const message = await sent('whatsapp');
      const { body } = whatsapp.statusWebhook({ wamid: message.externalId, status: 'delivered', recipient: TO.slice(1) }, APP_SECRET);
      const wrongSecret = whatsapp.statusWebhook(
        { wamid: message.externalId, status: 'delivered', recipient: TO.slice(1) },
        'not-the-app-secret',
      );
      for (const res of [
        await postWhatsApp(wrongSecret.body, wrongSecret.signature),
        await postWhatsApp(body, undefined),
        await postWhatsApp(body, `sha256=${'0'.repeat(64)}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ type: 'https://messagejs.dev/problems/forbidden', status: 403 });
      }
      const after = await get(message.id);
      expect(after.status).toBe('sent');
      expect(after.events).toEqual(message.events);
    });

    it('accepts a status for an unknown wamid with 200 and changes no message', async () => {
      const wamid = `wamid.${randomBytes(24).toString('base64')}`;
      const before = await platform.db.query('SELECT id, status, events FROM messages ORDER BY id');
      const res = await whatsappStatus({ wamid, status: 'delivered' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: 1 });
      const after = await platform.db.query('SELECT id, status, events FROM messages ORDER BY id');
      expect(after.rows).toEqual(before.rows);
    });

    // Needs the dispatcher to call ReceiptsService.applyPending after recording a send (else the 5 s sweep applies it).
    it('keeps a status that beats the send reply and applies it once the send is recorded', async () => {
      whatsapp.replyDelayMs = 3_000;
      try {
        const before = whatsapp.sent.length;
        const res = await platform.request('POST', 'messages', {
          token: tenant.apiKey,
          body: { to: TO, message: 'early whatsapp', connector: 'whatsapp' },
        });
        const [wire] = (await whatsapp.waitForSent(before + 1, 10_000)).slice(before);
        expect((await whatsappStatus({ wamid: wire.wamid, status: 'delivered' })).status).toBe(200);
        expect((await get(res.body.id)).externalId).toBeNull();

        const after = await reaches(res.body.id, 'delivered');
        expect(after.externalId).toBe(wire.wamid);
        expect(statuses(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
      } finally {
        whatsapp.replyDelayMs = 0;
      }
    });
  });
});
