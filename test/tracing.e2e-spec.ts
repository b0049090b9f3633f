import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { connectorQueueName } from '@app/contracts';
import { TwilioFake } from './fakes/twilio.fake';
import { OtlpReceiver, ReceivedSpan } from './support/otlp-receiver';
import { eventually, Platform } from './support/platform';
import { addTwilioConnector, addWebhookEndpoint, createTenant, Tenant } from './support/tenant';
import { Receiver } from './support/webhook-receiver';

jest.setTimeout(90_000);

const TO = '+14155552671';
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/;

/** Log lines (pino JSON) of one app that name this message. */
function logLinesOf(platform: Platform, app: string, messageId: string): Array<Record<string, unknown>> {
  return platform.logs
    .filter((l) => l.startsWith(`[${app}] {`) && l.includes(messageId))
    .map((l) => JSON.parse(l.slice(`[${app}] `.length)) as Record<string, unknown>);
}

/** OpenTelemetry end to end: every app exports to a loopback OTLP/HTTP collector, as it would to a real one. */
describe('tracing', () => {
  let platform: Platform;
  let otlp: OtlpReceiver;
  let twilio: TwilioFake;
  let receiver: Receiver;
  let tenant: Tenant;

  const send = async (headers: Record<string, string> = {}): Promise<string> => {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      headers,
      body: { to: TO, message: 'traced', connector: 'twilio' },
    });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  /** The first exported span named `name` about this message. */
  const spanOf = (name: string, messageId: string): Promise<ReceivedSpan> =>
    eventually(async () => otlp.spans.find((s) => s.name === name && s.attributes['messagejs.message_id'] === messageId));

  /** The trace a message was accepted in, once the dispatcher's accept span has been exported. */
  const traceOf = (messageId: string): Promise<ReceivedSpan> =>
    eventually(async () => otlp.spans.find((s) => s.name === 'message.accept' && s.attributes['messagejs.message_id'] === messageId));

  beforeAll(async () => {
    [otlp, twilio, receiver] = await Promise.all([OtlpReceiver.start(), TwilioFake.start(), Receiver.start()]);
    platform = await Platform.start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        // The SDK's batch delay (5 s by default) only slows the test down.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        LOG_LEVEL: 'debug',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        // Twilio is given a StatusCallback: its receipts reach the platform (the test posts them as through a proxy).
        PUBLIC_URL: 'https://messagejs.example.test',
      },
    });
    tenant = await createTenant(platform);
    await addTwilioConnector(platform, tenant, twilio);
    await addWebhookEndpoint(platform, tenant, receiver.url('/hooks'), ['message.queued', 'message.sent', 'message.delivered']);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([otlp?.close(), twilio?.close(), receiver?.close()]);
  });

  it('makes one POST /messages one trace across gateway, dispatcher, worker and webhooks', async () => {
    const messageId = await send();
    const { traceId } = await traceOf(messageId);

    const expected = [
      ['gateway', 'POST /api/v1/messages'],
      ['dispatcher', 'rpc messages.accept'],
      ['dispatcher', 'message.accept'],
      ['dispatcher', 'message.dispatch'],
      ['worker', 'message.send'],
      ['worker', 'provider twilio'],
      ['dispatcher', 'message.status queued'],
      ['dispatcher', 'message.status sent'],
      ['webhooks', 'webhook.fanout message.sent'],
      ['webhooks', 'webhook.deliver'],
    ];
    const spans = await eventually(async () => {
      const found = otlp.trace(traceId);
      const seen = new Set(found.map((s) => `${s.service} ${s.name}`));
      return expected.every(([service, name]) => seen.has(`${service} ${name}`)) && found;
    });

    // One tree: a single root (the gateway's request), every other span's parent is in the same trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    expect(roots.map((s) => `${s.service} ${s.name}`)).toEqual(['gateway POST /api/v1/messages']);
    const provider = spans.find((s) => s.name === 'provider twilio');
    expect(provider?.attributes).toMatchObject({ 'messagejs.connector.type': 'twilio', 'messagejs.attempt': 1 });

    // The context left the platform too: on the provider call and on the customer's webhook.
    const sid = (await twilio.waitForSent(1)).find((m) => m.body === 'traced')?.sid;
    expect(sid).toBeDefined();
    const create = twilio.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'));
    expect(TRACEPARENT.exec(String(create?.headers.traceparent))?.[1]).toBe(traceId);
    const webhook = await eventually(async () => receiver.at('/hooks', messageId, 'message.sent')[0]);
    expect(TRACEPARENT.exec(String(webhook.headers.traceparent))?.[1]).toBe(traceId);
    expect(webhook.headers.baggage).toBeUndefined();

    // And every app's log lines about the message carry its trace id and its id.
    for (const app of ['dispatcher', 'worker', 'webhooks']) {
      const lines = await eventually(async () => {
        const found = logLinesOf(platform, app, messageId);
        return found.length > 0 && found;
      });
      for (const line of lines) expect([app, line.traceId, line.messageId]).toEqual([app, traceId, messageId]);
    }
  });

  it("continues the caller's trace and carries its request id into every app's log lines", async () => {
    const traceId = randomBytes(16).toString('hex');
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    const messageId = await send({ traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-request-id': requestId });

    expect((await traceOf(messageId)).traceId).toBe(traceId);
    const gateway = await eventually(async () =>
      platform.logs
        .filter((l) => l.startsWith('[gateway] {') && l.includes(requestId))
        .map((l) => JSON.parse(l.slice('[gateway] '.length)) as Record<string, unknown>)
        .find((l) => l.traceId === traceId),
    );
    expect(gateway).toBeDefined();
    for (const app of ['dispatcher', 'worker']) {
      const lines = await eventually(async () => {
        const found = logLinesOf(platform, app, messageId);
        return found.length > 0 && found;
      });
      for (const line of lines) expect([app, line.traceId, line.requestId]).toEqual([app, traceId, requestId]);
    }
  });

  it("records a provider receipt in the message's trace, linked to the receipt's own request", async () => {
    const messageId = await send();
    const accept = await traceOf(messageId);
    const sent = await eventually(async () => {
      const message = (await platform.request('GET', `messages/${messageId}`, { token: tenant.apiKey })).body;
      return message.status === 'sent' && message;
    });

    const res = await twilio.deliverStatusCallback(sent.externalId, 'delivered', { via: platform.baseUrl });
    expect(res.status).toBe(200);

    // The status change hangs off the accept span; the provider's request is a trace of its own, linked.
    const receipt = await spanOf('message.receipt delivered', messageId);
    expect([receipt.traceId, receipt.parentSpanId]).toEqual([accept.traceId, accept.spanId]);
    const request = await eventually(async () =>
      otlp.spans.find((s) => s.service === 'gateway' && s.name.startsWith('POST /api/v1/callbacks/twilio') && s.traceId !== accept.traceId),
    );
    const requestTrace = otlp.trace(request.traceId).map((s) => s.spanId);
    expect(receipt.links.filter((l) => l.traceId === request.traceId && requestTrace.includes(l.spanId))).toHaveLength(1);
    // What follows from it stays in the message's trace too: the status event, the webhook and its delivery.
    const status = await spanOf('message.status delivered', messageId);
    expect([status.traceId, status.parentSpanId]).toEqual([accept.traceId, receipt.spanId]);
    const webhook = await eventually(async () => receiver.at('/hooks', messageId, 'message.delivered')[0]);
    expect(TRACEPARENT.exec(String(webhook.headers.traceparent))?.[1]).toBe(accept.traceId);
  });

  it('keeps a message the outbox sweep re-queues in its own trace', async () => {
    // No worker, and the job taken out of Redis: only the outbox sweep can get this message sent.
    await platform.terminate('worker');
    const connection = new Redis(platform.env.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(connectorQueueName('twilio'), { connection, prefix: `${platform.redisPrefix}:bull` });
    try {
      const messageId = await send();
      const accept = await traceOf(messageId);
      await eventually(async () => (await queue.getJob(messageId)) !== undefined);
      expect(await queue.remove(messageId)).toBe(1);

      const requeue = await spanOf('message.requeue', messageId);
      expect([requeue.service, requeue.traceId, requeue.parentSpanId]).toEqual(['dispatcher', accept.traceId, accept.spanId]);
      // Linked to the sweep that found it, which is a trace of its own.
      const sweep = otlp.spans.find((s) => s.name === 'outbox.requeue' && requeue.links.some((l) => l.spanId === s.spanId));
      expect(sweep?.traceId).not.toBe(accept.traceId);
      const job = await eventually(async () => queue.getJob(messageId));
      expect(TRACEPARENT.exec(String(job.data.trace?.traceparent))?.[1]).toBe(accept.traceId);

      await platform.startApp('worker');
      const sendSpan = await spanOf('message.send', messageId);
      const requeues = otlp.spans.filter((s) => s.name === 'message.requeue' && s.attributes['messagejs.message_id'] === messageId);
      expect(sendSpan.traceId).toBe(accept.traceId);
      expect(requeues.map((s) => s.spanId)).toContain(sendSpan.parentSpanId);
      await spanOf('message.status sent', messageId).then((s) => expect(s.traceId).toBe(accept.traceId));
    } finally {
      await queue.close();
      connection.disconnect();
      if (!platform.processes.has('worker')) await platform.startApp('worker');
    }
  });

  it('lets a 500 be followed from the errorId the client got to the failing app, by traceId and request id', async () => {
    const messageId = await send();
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    // A schema the dispatcher does not expect: its query fails with an error no code maps, the 500 case.
    await platform.db.query('ALTER TABLE messages RENAME COLUMN metadata TO metadata_moved');
    try {
      const res = await platform.request('GET', `messages/${messageId}`, { token: tenant.apiKey, headers: { 'x-request-id': requestId } });
      expect([res.status, res.headers.get('x-request-id')]).toEqual([500, requestId]);
      const errorId = res.body.errorId as string;
      expect(errorId).toEqual(expect.any(String));

      const parsed = (app: string) =>
        platform.logs
          .filter((l) => l.startsWith(`[${app}] {`))
          .map((l) => JSON.parse(l.slice(`[${app}] `.length)) as Record<string, unknown>);
      const gateway = await eventually(async () => parsed('gateway').find((l) => l.errorId === errorId));
      expect(gateway).toMatchObject({ requestId, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const dispatcher = await eventually(async () =>
        parsed('dispatcher').find((l) => l.traceId === gateway.traceId && l.level === 50 && l.requestId === requestId),
      );
      expect(dispatcher.pattern).toMatch(/(^|:)messages\.get$/);
    } finally {
      await platform.db.query('ALTER TABLE messages RENAME COLUMN metadata_moved TO metadata');
    }
  });
});
