import { SmtpFake } from './fakes/smtp.fake';
import { TwilioFake } from './fakes/twilio.fake';
import { WhatsAppFake } from './fakes/whatsapp.fake';
import { eventually, Platform } from './support/platform';
import { addConnector, addTwilioConnector, addWhatsAppConnector, createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

/** WhatsApp, Twilio and SMTP end to end: each channel's happy path, its error classes, and templates. */
describe('channels', () => {
  let platform: Platform;
  let whatsapp: WhatsAppFake;
  let twilio: TwilioFake;
  let smtp: SmtpFake;
  let tenant: Tenant;
  const connectors: Record<string, string> = {};

  beforeAll(async () => {
    [whatsapp, twilio, smtp] = await Promise.all([
      WhatsAppFake.start(),
      TwilioFake.start(),
      SmtpFake.start({ username: 'mailer', password: 'smtp-secret-pw' }),
    ]);
    platform = await Platform.start();
    tenant = await createTenant(platform);
    whatsapp.addTemplate('order_ready', 2, 'en_US');
    const fast = { maxPerSecond: 1000 };
    connectors.whatsapp = await addWhatsAppConnector(platform, tenant, whatsapp, { appSecret: 'app-secret-0123456789' }, fast);
    connectors.twilio = await addTwilioConnector(platform, tenant, twilio, fast);
    connectors.smtp = await addConnector(platform, tenant, {
      type: 'smtp',
      credentials: {
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        username: 'mailer',
        password: 'smtp-secret-pw',
        from: 'Shop <shop@example.com>',
      },
      config: fast,
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([whatsapp?.close(), twilio?.close(), smtp?.close()]);
  });

  const send = (body: Record<string, unknown>) => platform.request('POST', 'messages', { token: tenant.apiKey, body });
  const settle = (id: string) =>
    eventually(async () => {
      const res = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
      return ['sent', 'failed', 'delivered', 'read'].includes(res.body.status) ? res.body : undefined;
    });

  it('verifies each connector with its provider', async () => {
    for (const type of ['whatsapp', 'twilio', 'smtp']) {
      const res = await platform.request('POST', `projects/${tenant.projectId}/connectors/${connectors[type]}/verify`, {
        token: tenant.accessToken,
      });
      expect([type, res.status, res.body.ok]).toEqual([type, 200, true]);
    }
  });

  describe('whatsapp', () => {
    it('sends free text to the digits of an E.164 number and keeps the wamid', async () => {
      const res = await send({ to: '+14155552671', message: 'Hi on WhatsApp', connector: 'whatsapp' });
      expect(res.status).toBe(202);
      const message = await settle(res.body.id);
      expect(message.status).toBe('sent');
      const wire = whatsapp.sent.find((s) => s.text === 'Hi on WhatsApp')!;
      expect(wire.to).toBe('14155552671');
      expect(message.externalId).toBe(wire.wamid);
    });

    it('fails at once, saying to use a template, outside the 24-hour window (131047)', async () => {
      whatsapp.failNext('131047');
      const message = await settle((await send({ to: '+14155552671', message: 'late reply', connector: 'whatsapp' })).body.id);
      expect(message.status).toBe('failed');
      expect(message.error.code).toBe('131047');
      expect(message.error.message).toMatch(/template/i);
      expect(message.attempts).toBe(1);
    });

    it('retries a throughput limit (130429) and then sends', async () => {
      whatsapp.failNext('130429', 1, { retryAfter: 1 });
      const message = await settle((await send({ to: '+14155552671', message: 'after the limit', connector: 'whatsapp' })).body.id);
      expect(message.status).toBe('sent');
      expect(message.attempts).toBe(2);
    });

    it('sends an approved template with the variables as body parameters, in content order', async () => {
      const created = await platform.request('POST', `projects/${tenant.projectId}/templates`, {
        token: tenant.accessToken,
        body: {
          name: 'order-ready',
          content: 'Hi {{name}}, order {{order}} is ready',
          channel: 'whatsapp',
          whatsapp: { name: 'order_ready', language: 'en_US' },
        },
      });
      expect(created.status).toBe(201);
      const res = await send({
        to: '+14155552671',
        template: { name: 'order-ready', variables: { order: 'A-17', name: 'Ada' } },
        connector: 'whatsapp',
      });
      expect(res.status).toBe(202);
      expect((await settle(res.body.id)).status).toBe('sent');
      const wire = whatsapp.sent.find((s) => s.template?.name === 'order_ready')!;
      expect(wire.type).toBe('template');
      expect(wire.template).toEqual({ name: 'order_ready', language: 'en_US', parameters: ['Ada', 'A-17'] });
    });

    it('refuses a number that is not E.164', async () => {
      const res = await send({ to: '4155552671', message: 'x', connector: 'whatsapp' });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toEqual({ field: 'to', message: expect.stringMatching(/E\.164/) });
    });
  });

  describe('twilio', () => {
    it('sends an SMS form-encoded with To/From/Body and keeps the sid', async () => {
      const message = await settle((await send({ to: '+14155552671', message: 'Your code is 1234', connector: 'twilio' })).body.id);
      expect(message.status).toBe('sent');
      const wire = twilio.sent.find((s) => s.body === 'Your code is 1234')!;
      expect(wire).toMatchObject({ to: '+14155552671', from: '+14155550100' });
      expect(message.externalId).toBe(wire.sid);
    });

    it.each([
      ['21211', 'an invalid To number'],
      ['21610', 'an unsubscribed recipient'],
    ])("fails at once with Twilio's code %s for %s", async (code) => {
      twilio.failNext(code as '21211');
      const message = await settle((await send({ to: '+14155552671', message: `fail ${code}`, connector: 'twilio' })).body.id);
      expect(message.status).toBe('failed');
      expect(message.error.code).toBe(code);
      expect(message.attempts).toBe(1);
    });

    it('retries a 429 and a 500, then sends once', async () => {
      twilio.failNext('429', 1, { retryAfter: 1 });
      twilio.failNext('500', 1);
      const message = await settle((await send({ to: '+14155552671', message: 'twice unlucky', connector: 'twilio' })).body.id);
      expect(message.status).toBe('sent');
      expect(message.attempts).toBe(3);
      expect(twilio.sent.filter((s) => s.body === 'twice unlucky')).toHaveLength(1);
    });

    it('refuses a body over 1600 characters with 422', async () => {
      const res = await send({ to: '+14155552671', message: 'x'.repeat(1601), connector: 'twilio' });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('message');
    });
  });

  describe('smtp', () => {
    it('sends a plain-text email with the subject, or the project name as the subject', async () => {
      const withSubject = await settle(
        (await send({ to: 'ada@example.com', message: 'Your receipt', subject: 'Receipt #42', connector: 'smtp' })).body.id,
      );
      expect(withSubject.status).toBe('sent');
      const mail = smtp.sent.find((m) => m.text === 'Your receipt')!;
      expect(mail).toMatchObject({ from: 'shop@example.com', to: ['ada@example.com'], subject: 'Receipt #42' });
      expect(withSubject.externalId).toBe(mail.messageId);

      await settle((await send({ to: 'grace@example.com', message: 'No subject given', connector: 'smtp' })).body.id);
      expect(smtp.sent.find((m) => m.text === 'No subject given')!.subject).toBe('Test project');
    });

    it('fails a rejected mailbox (550) at once and retries a 421', async () => {
      smtp.rejectRecipient('gone@example.com');
      const rejected = await settle((await send({ to: 'gone@example.com', message: 'bounce', connector: 'smtp' })).body.id);
      expect(rejected.status).toBe('failed');
      expect(rejected.error.code).toBe('550');

      smtp.failNext('421');
      const retried = await settle((await send({ to: 'ada@example.com', message: 'try again later', connector: 'smtp' })).body.id);
      expect(retried.status).toBe('sent');
      expect(retried.attempts).toBe(2);
    });

    it('renders a template into the email body', async () => {
      await platform.request('POST', `projects/${tenant.projectId}/templates`, {
        token: tenant.accessToken,
        body: { name: 'welcome', content: 'Welcome, {{name}}!' },
      });
      const res = await send({
        to: 'new@example.com',
        template: { name: 'welcome', variables: { name: 'Ada' } },
        connector: 'smtp',
        subject: 'Hello',
      });
      expect(res.status).toBe(202);
      await settle(res.body.id);
      expect(smtp.sent.find((m) => m.to[0] === 'new@example.com')!.text).toBe('Welcome, Ada!');
    });
  });

  describe('templates at send time', () => {
    it.each([
      ['a missing variable', { name: 'welcome', variables: {} }, 'template.variables'],
      ['an unknown template', { name: 'nope', variables: {} }, 'template.name'],
    ])('refuses %s with 422 and stores nothing', async (_case, template, field) => {
      const before = await platform.db.query('SELECT count(*)::int AS n FROM messages');
      const res = await send({ to: 'ada@example.com', template, connector: 'smtp' });
      expect(res.status).toBe(422);
      expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
      expect((await platform.db.query('SELECT count(*)::int AS n FROM messages')).rows[0].n).toBe(before.rows[0].n);
    });

    it('refuses a whatsapp-only template on another channel, and both message and template at once', async () => {
      const wrongChannel = await send({
        to: 'ada@example.com',
        template: { name: 'order-ready', variables: { name: 'A', order: '1' } },
        connector: 'smtp',
      });
      expect(wrongChannel.status).toBe(422);
      const both = await send({
        to: 'ada@example.com',
        message: 'x',
        template: { name: 'welcome', variables: { name: 'A' } },
        connector: 'smtp',
      });
      expect(both.status).toBe(422);
      expect(both.body.errors[0]).toEqual({ field: 'message', message: 'exactly one of message and template is required' });
    });
  });

  it('never logs a provider secret', () => {
    const logs = platform.logs.join('\n');
    for (const secret of ['smtp-secret-pw', 'app-secret-0123456789']) expect(logs).not.toContain(secret);
  });
});
