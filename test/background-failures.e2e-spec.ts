import { eventually, Platform } from './support/platform';
import { startWithTelegram } from './support/telegram-platform';
import { Tenant } from './support/tenant';

jest.setTimeout(90_000);

/** A step that fails after the 202 must leave a trace: a customer's webhook is never dropped without a log line. */
describe('background failures (end to end)', () => {
  let platform: Platform;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ platform, tenant } = await startWithTelegram({
      apps: ['management', 'dispatcher', 'gateway'],
      env: { WEBHOOK_ALLOW_PRIVATE: 'true' },
    }));
  });

  afterAll(() => platform?.stop());

  it('logs a status event the webhooks queue refused, with its message id, and still accepts the message', async () => {
    const endpoint = await platform.request('POST', `projects/${tenant.projectId}/webhooks`, {
      token: tenant.accessToken,
      body: { url: 'http://127.0.0.1:9/never-called', events: ['message.queued'] },
    });
    expect(endpoint.status).toBe(201);
    // The status-events queue's metadata turned into a string: every add to that queue now fails in Redis (WRONGTYPE).
    const meta = `${platform.redisPrefix}:bull:webhooks.events:meta`;
    await platform.redis.del(meta);
    await platform.redis.set(meta, 'not a hash');
    try {
      const sent = await platform.request('POST', 'messages', {
        token: tenant.apiKey,
        body: { to: '424242', message: 'hello', connector: 'telegram' },
      });
      expect(sent.status).toBe(202);
      const line = await eventually(async () =>
        platform.logs.find(
          (l) => l.startsWith('[dispatcher]') && l.includes('background step status-event failed') && l.includes(sent.body.id),
        ),
      );
      expect(JSON.parse(line.slice('[dispatcher] '.length))).toMatchObject({
        level: 40,
        step: 'status-event',
        messageId: sent.body.id,
        reason: expect.stringContaining('WRONGTYPE'),
      });
      // The message itself is safe: accepted and readable.
      expect((await platform.request('GET', `messages/${sent.body.id}`, { token: tenant.apiKey })).status).toBe(200);
    } finally {
      await platform.redis.del(meta);
    }
  });
});
