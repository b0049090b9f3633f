import { TwilioFake } from './fakes/twilio.fake';
import { OtlpReceiver } from './support/otlp-receiver';
import { eventually, Platform } from './support/platform';
import { addTwilioConnector, addWebhookEndpoint, createTenant, Tenant } from './support/tenant';
import { Receiver } from './support/webhook-receiver';

jest.setTimeout(90_000);

const TO = '+14155552671';

/** No PUBLIC_URL: Twilio cannot call back, so the dispatcher asks Twilio about messages left in `sent`. */
describe('status reconciliation (no PUBLIC_URL)', () => {
  let platform: Platform;
  let twilio: TwilioFake;
  let receiver: Receiver;
  let otlp: OtlpReceiver;
  let tenant: Tenant;

  const message = async (id: string) => (await platform.request('GET', `messages/${id}`, { token: tenant.apiKey })).body;
  const fetchesOf = (sid: string) => twilio.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`));

  beforeAll(async () => {
    [twilio, receiver, otlp] = await Promise.all([TwilioFake.start(), Receiver.start(), OtlpReceiver.start()]);
    platform = await Platform.start({
      env: {
        RECONCILE_AFTER_MS: '1000',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    tenant = await createTenant(platform);
    await addTwilioConnector(platform, tenant, twilio);
    await addWebhookEndpoint(platform, tenant, receiver.url('/hooks'), ['message.delivered']);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([twilio?.close(), receiver?.close(), otlp?.close()]);
  });

  it('moves a message Twilio later reports delivered to delivered, and fires the webhook, with no callback', async () => {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: TO, message: 'hello', connector: 'twilio' },
    });
    expect(res.status).toBe(202);
    const [created] = await twilio.waitForSent(1, 20_000);
    expect(created.statusCallback).toBeNull();
    await eventually(async () => (await message(res.body.id)).status === 'sent');

    // Twilio still says `queued`: the first look-up changes nothing.
    await eventually(async () => fetchesOf(created.sid).length >= 1, 30_000);
    expect((await message(res.body.id)).status).toBe('sent');

    twilio.setStatus(created.sid, 'delivered');
    const delivered = await eventually(async () => {
      const m = await message(res.body.id);
      return m.status === 'delivered' && m;
    }, 30_000);
    expect(delivered.deliveredAt).toEqual(expect.any(String));
    const hook = await eventually(async () => receiver.at('/hooks', res.body.id, 'message.delivered')[0], 30_000);
    expect(hook.event.data).toMatchObject({ id: res.body.id, status: 'delivered' });
    // Every look-up was Twilio's FetchMessage, authenticated as the account.
    for (const fetch of fetchesOf(created.sid)) expect(fetch.headers.authorization).toMatch(/^Basic /);

    // Each look-up, and the status change it made, is recorded in the message's own trace, under its accept.
    const about = (name: string) => otlp.spans.filter((s) => s.name === name && s.attributes['messagejs.message_id'] === res.body.id);
    const [accept] = await eventually(async () => about('message.accept').length > 0 && about('message.accept'));
    const checks = await eventually(async () => about('message.reconcile').length >= 2 && about('message.reconcile'));
    for (const check of checks) expect([check.traceId, check.parentSpanId]).toEqual([accept.traceId, accept.spanId]);
    const [status] = await eventually(async () => about('message.status delivered').length > 0 && about('message.status delivered'));
    expect(status.traceId).toBe(accept.traceId);
  });
});
