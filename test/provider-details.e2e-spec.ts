import { TelegramFake } from './fakes/telegram.fake';
import { TwilioFake } from './fakes/twilio.fake';
import { WhatsAppFake } from './fakes/whatsapp.fake';
import { eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(90_000);

const PUBLIC_URL = 'https://messagejs.example.test';

interface MessageEvent {
  status: string;
  at: string;
  attempt?: number;
  detail?: string;
  provider?: { httpStatus?: number; code?: string; message?: string };
}

describe('what the dashboard shows of providers and keys', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let twilio: TwilioFake;
  let whatsapp: WhatsAppFake;
  let tenant: Tenant;
  let botToken: string;
  const connectorIds: Record<'twilio' | 'whatsapp', string> = { twilio: '', whatsapp: '' };

  const send = async (body: Record<string, unknown>): Promise<string> => {
    const res = await platform.request('POST', 'messages', { token: tenant.apiKey, body });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const finished = (id: string, statuses: string[]) =>
    eventually(async () => {
      const res = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
      return statuses.includes(res.body.status) ? (res.body as { status: string; externalId: string; events: MessageEvent[] }) : undefined;
    });

  beforeAll(async () => {
    [telegram, twilio, whatsapp] = await Promise.all([TelegramFake.start(), TwilioFake.start(), WhatsAppFake.start()]);
    platform = await Platform.start({ env: { PUBLIC_URL } });
    botToken = telegram.addToken();
    tenant = await createTenant(platform, { telegram: { botToken, baseUrl: telegram.baseUrl } });
    const account = twilio.addAccount();
    const number = whatsapp.addPhoneNumber();
    const bodies = {
      twilio: {
        credentials: { accountSid: account.accountSid, authToken: account.authToken, from: '+14155550100' },
        config: { baseUrl: twilio.baseUrl },
      },
      whatsapp: {
        credentials: {
          accessToken: number.accessToken,
          phoneNumberId: number.phoneNumberId,
          appSecret: 'app-secret-0123456789',
          verifyToken: 'verify-token-0123456789',
        },
        config: { baseUrl: whatsapp.baseUrl },
      },
    };
    for (const type of ['twilio', 'whatsapp'] as const) {
      const res = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
        token: tenant.accessToken,
        body: { type, name: type, ...bodies[type] },
      });
      expect(res.status).toBe(201);
      connectorIds[type] = res.body.id;
    }
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([telegram?.close(), twilio?.close(), whatsapp?.close()]);
  });

  describe('message events carry each attempt’s provider outcome', () => {
    it("records a refusal's HTTP status, code and message on the failed attempt", async () => {
      telegram.unknownChat(9001);
      const message = await finished(await send({ to: '9001', message: 'nobody there', connector: 'telegram' }), ['failed']);
      expect(message.events.at(-1)).toEqual({
        status: 'failed',
        at: expect.any(String),
        attempt: 1,
        code: '400',
        detail: expect.stringContaining('giving up'),
        provider: { httpStatus: 400, code: '400', message: 'Bad Request: chat not found' },
      });
    });

    it('records each failed attempt before the one that succeeded, and the sent one without a provider error', async () => {
      telegram.failNext('500');
      telegram.failNext('drop');
      const message = await finished(await send({ to: '424242', message: 'third time lucky', connector: 'telegram' }), ['sent']);
      const attempts = message.events.filter((e) => e.attempt !== undefined);
      expect(attempts.map((e) => [e.status, e.attempt, e.provider])).toEqual([
        ['sending', 1, { httpStatus: 500, code: '500', message: 'Internal Server Error' }],
        ['sending', 2, { code: 'network', message: expect.stringMatching(/^Could not reach Telegram/) }],
        ['sending', 3, undefined],
        ['sent', 3, undefined],
      ]);
      expect(JSON.stringify(message)).not.toContain(botToken.split(':')[1]);
    });

    it("records a receipt's failure code and description", async () => {
      const id = await send({ to: '+14155552671', message: 'undeliverable', connector: 'twilio' });
      const sent = await finished(id, ['sent']);
      await twilio.deliverStatusCallback(sent.externalId, 'undelivered', { errorCode: 30003, via: platform.baseUrl });
      const failed = await finished(id, ['failed']);
      expect(failed.events.at(-1)).toMatchObject({
        status: 'failed',
        provider: { code: '30003', message: expect.stringContaining('Unreachable destination handset') },
      });
      expect(failed.events.at(-1)!.provider!.httpStatus).toBeUndefined();
    });
  });

  describe('connectors show the callback URL to paste into the provider', () => {
    it('builds it from PUBLIC_URL for Twilio and WhatsApp, and has none for Telegram', async () => {
      const list = await platform.request('GET', `projects/${tenant.projectId}/connectors`, { token: tenant.accessToken });
      const byType = Object.fromEntries(list.body.data.map((c: { type: string; callbackUrl: string | null }) => [c.type, c.callbackUrl]));
      expect(byType).toEqual({
        telegram: null,
        twilio: `${PUBLIC_URL}/api/v1/callbacks/twilio/${connectorIds.twilio}`,
        whatsapp: `${PUBLIC_URL}/api/v1/callbacks/whatsapp/${connectorIds.whatsapp}`,
      });
      const one = await platform.request('GET', `projects/${tenant.projectId}/connectors/${connectorIds.whatsapp}`, {
        token: tenant.accessToken,
      });
      expect(one.body.callbackUrl).toBe(byType.whatsapp);
    });

    it('is the URL the platform gives Twilio, and the routes behind it answer', async () => {
      const id = await send({ to: '+14155552671', message: 'where do receipts go', connector: 'twilio' });
      const sent = await finished(id, ['sent']);
      expect(twilio.message(sent.externalId)?.statusCallback).toBe(`${PUBLIC_URL}/api/v1/callbacks/twilio/${connectorIds.twilio}`);
      const challenge = await platform.request(
        'GET',
        `${new URL(`${PUBLIC_URL}/api/v1/callbacks/whatsapp/${connectorIds.whatsapp}`).pathname}?hub.mode=subscribe&hub.verify_token=verify-token-0123456789&hub.challenge=42`,
      );
      expect([challenge.status, challenge.text]).toEqual([200, '42']);
    });
  });

  describe('API keys show when they were last used, written at most once a minute', () => {
    const keys = async () =>
      (await platform.request('GET', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken })).body.data as Array<{
        id: string;
        name: string;
        lastUsedAt: string | null;
      }>;

    it('sets lastUsedAt on first use, then leaves it for the rest of the minute however often the key is used', async () => {
      const created = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
        token: tenant.accessToken,
        body: { name: 'busy' },
      });
      const control = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
        token: tenant.accessToken,
        body: { name: 'control' },
      });
      expect((await keys()).find((k) => k.id === created.body.id)!.lastUsedAt).toBeNull();

      expect((await platform.request('GET', 'messages', { token: created.body.key })).status).toBe(200);
      const first = await eventually(async () => (await keys()).find((k) => k.id === created.body.id && k.lastUsedAt)!.lastUsedAt, 15_000);
      for (let i = 0; i < 5; i++) expect((await platform.request('GET', 'messages', { token: created.body.key })).status).toBe(200);
      // A key used after those requests: once its use is written, theirs has been through the gateway's batch too.
      expect((await platform.request('GET', 'messages', { token: control.body.key })).status).toBe(200);
      await eventually(async () => (await keys()).find((k) => k.id === control.body.id)!.lastUsedAt, 15_000);

      expect((await keys()).find((k) => k.id === created.body.id)!.lastUsedAt).toBe(first);
      const stored = await platform.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [created.body.id]);
      expect(stored.rows[0].last_used_at.toISOString()).toBe(first);
    });
  });
});
