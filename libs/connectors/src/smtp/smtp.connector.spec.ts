import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SmtpFake, type SmtpFakeFailure } from '../../../../test/fakes/smtp.fake';
import { OutboundMessage } from '../connector.interface';
import { validateSettings } from '../validate-settings';
import { SmtpConnector } from './smtp.connector';
import { parseSmtpSender, SmtpCredentials } from './smtp.credentials';
import { classifySmtpError } from './smtp.errors';
import { smtpRecipientProblem } from './smtp.recipient';
import { rejection } from '../testing/rejection';

const username = 'mailer';
const password = `pw-${randomBytes(18).toString('base64url')}`;
let fake: SmtpFake;
const opened: SmtpConnector[] = [];

beforeAll(async () => {
  fake = await SmtpFake.start({ username, password });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((connector) => connector.close()));
});

afterAll(async () => {
  await fake.close();
});

function credentials(overrides: Partial<SmtpCredentials> = {}): SmtpCredentials {
  return { host: fake.host, port: fake.port, secure: false, username, password, from: 'Acme <no-reply@example.com>', ...overrides };
}

function connector(overrides: Partial<SmtpCredentials> = {}): SmtpConnector {
  const built = new SmtpConnector(credentials(overrides), {}, { connectorId: 'c1', outbound: { allowPrivate: true, allowedHosts: [] } });
  opened.push(built);
  return built;
}

function send(to: string, via = connector(), extra: Partial<OutboundMessage> = {}) {
  return via.sendMessage({ messageId: 'msg_1', to, subject: 'Welcome', text: 'Hello from MessageJS', ...extra });
}

function received(externalId: string) {
  const found = fake.sent.find((sent) => sent.messageId === externalId);
  if (!found) throw new Error(`the fake received no message ${externalId}`);
  return found;
}

describe('SmtpConnector against a real SMTP server', () => {
  it('sends from/to/subject/text and returns the Message-ID it set as externalId', async () => {
    const text = 'Hello from MessageJS\nSecond line';
    const { externalId } = await send('ada@example.com', connector(), { text });
    expect(externalId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(received(externalId)).toMatchObject({
      from: 'no-reply@example.com',
      to: ['ada@example.com'],
      subject: 'Welcome',
      text,
      messageId: externalId,
      user: username,
    });
    expect(received(externalId).headers).toMatchObject({ from: 'Acme <no-reply@example.com>', to: 'ada@example.com' });
  });

  it('carries non-ASCII subjects, names and text intact', async () => {
    const text = Array.from({ length: 20 }, () => 'Grüße aus Köln — 你好 👋').join('\n');
    const via = connector({ from: '"Müller, Jörg" <jorg@example.com>' });
    const { externalId } = await send('ada@example.com', via, { subject: 'Grüße 👋', text });
    expect(received(externalId)).toMatchObject({ subject: 'Grüße 👋', text, from: 'jorg@example.com' });
    expect(received(externalId).headers.from).toBe('Müller, Jörg <jorg@example.com>'); // decoded from an RFC 2047 word
  });

  it('uses "Message" as the subject when none is given', async () => {
    const { externalId } = await send('ada@example.com', connector(), { subject: undefined });
    expect(received(externalId).subject).toBe('Message');
  });

  it('verifies by connecting and logging in, and names the server', async () => {
    await expect(connector().validate()).resolves.toEqual({ ok: true, identity: fake.host });
  });

  it('refuses a wrong password as permanent EAUTH, on verify and on send', async () => {
    const wrong = connector({ password: `${password}x` });
    for (const attempt of [() => wrong.validate(), () => send('ada@example.com', wrong)]) {
      await expect(rejection(attempt())).resolves.toMatchObject({
        kind: 'permanent',
        code: 'EAUTH',
        message: expect.stringContaining('535 5.7.8 Authentication credentials invalid'),
      });
    }
  });

  it('fails permanently when the server wants AUTH and no username is set', async () => {
    const error = await rejection(send('ada@example.com', connector({ username: undefined, password: undefined })));
    expect(error).toMatchObject({ kind: 'permanent', code: '530' });
  });

  it("fails permanently on a recipient refused at RCPT with the server's reply", async () => {
    fake.rejectRecipient('gone@example.com');
    const error = await rejection(send('gone@example.com'));
    expect(error).toMatchObject({
      kind: 'permanent',
      code: '550',
      message: '550 5.1.1 Requested action not taken: mailbox unavailable',
    });
  });

  it('fails permanently when the server refuses the message after DATA (554)', async () => {
    fake.failNext('554');
    const error = await rejection(send('ada@example.com'));
    expect(error).toMatchObject({ kind: 'permanent', code: '554', message: '554 5.6.0 Transaction failed' });
  });

  it.each([
    ['421', 'at MAIL FROM, closing the connection', '421 4.4.2 smtp.fake.test Service not available, closing transmission channel'],
    ['451', 'after DATA', '451 4.3.0 Requested action aborted: local error in processing'],
    ['452', 'at RCPT TO', '452 4.2.2 Requested action not taken: insufficient system storage'],
  ] as const)('treats %s (%s) as retryable with the reply', async (kind, _where, reply) => {
    fake.failNext(kind);
    await expect(rejection(send('ada@example.com'))).resolves.toMatchObject({ kind: 'retryable', code: kind, message: reply });
  });

  it('treats a dropped connection as retryable', async () => {
    fake.failNext('drop');
    const error = await rejection(send('ada@example.com'));
    expect(error.kind).toBe('retryable');
    expect(['ECONNECTION', 'ESOCKET']).toContain(error.code);
  });

  it('treats a refused connection as retryable', async () => {
    const gone = await SmtpFake.start();
    await gone.close();
    const error = await rejection(connector({ port: gone.port }).validate());
    expect(error).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED', message: 'Could not reach the SMTP server (ECONNREFUSED)' });
  });

  it('sends again on the same connector after a failure', async () => {
    const via = connector();
    fake.failNext('451');
    await expect(rejection(send('ada@example.com', via))).resolves.toMatchObject({ kind: 'retryable' });
    const { externalId } = await send('ada@example.com', via);
    expect(received(externalId).to).toEqual(['ada@example.com']);
  });

  it('reuses one pooled connection for consecutive sends', async () => {
    const via = connector();
    const before = fake.connections;
    const first = await send('ada@example.com', via);
    const second = await send('bob@example.com', via);
    expect(fake.connections - before).toBe(1);
    expect(first.externalId).not.toBe(second.externalId);
  });

  it('refuses a "to" that is not one email address without contacting the server', async () => {
    const before = fake.connections;
    const error = await rejection(send('ada@example.com, eve@example.com'));
    expect(error).toMatchObject({ kind: 'permanent', code: 'EENVELOPE', message: 'to must be an email address' });
    expect(fake.connections).toBe(before);
  });

  it('has no status to ask for', () => {
    expect('getStatus' in connector()).toBe(false);
  });

  it('closes its pooled connections on close() and refuses to send afterwards', async () => {
    const via = connector();
    await send('ada@example.com', via);
    expect(fake.openConnections).toBeGreaterThan(0);
    await via.close();
    const deadline = Date.now() + 2_000;
    while (fake.openConnections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.openConnections).toBe(0);
    await expect(rejection(send('ada@example.com', via))).resolves.toMatchObject({ kind: 'retryable', code: 'closed' });
    await expect(via.close()).resolves.toBeUndefined();
  });

  it("never lets the password into an error or the connector's printed form", async () => {
    const secret = `${password}x`; // the one the server refuses, so it travels in every failure below
    const failures: Array<() => Promise<unknown>> = [
      () => connector({ password: secret }).validate(),
      () => send('ada@example.com', connector({ password: secret })),
      () => {
        fake.rejectRecipient('gone@example.com');
        return send('gone@example.com', connector({ password: secret, username: undefined }));
      },
      ...(['421', '451', '452', '554', 'drop'] as SmtpFakeFailure[]).map((kind) => () => {
        fake.failNext(kind);
        return send('ada@example.com', connector({ password: secret, username: undefined }));
      }),
    ];
    for (const fail of failures) {
      const error = await rejection(fail());
      for (const printed of [error.message, String(error.stack), inspect(error), JSON.stringify(error)]) {
        expect(printed).not.toContain(secret);
      }
    }
    const printedConnector = [inspect(connector({ password: secret }), { depth: 10 }), JSON.stringify(connector({ password: secret }))];
    for (const printed of printedConnector) expect(printed).not.toContain(secret);
  });
});

describe('smtpRecipientProblem', () => {
  const problem = 'must be an email address';
  it.each([
    ['ada@example.com', null],
    ['ada.lovelace+news@mail.example.co.uk', null],
    ['Ada <ada@example.com>', problem],
    ['ada@example.com, bob@example.com', problem],
    [' ada@example.com', problem],
    ['ada', problem],
    ['ada@localhost', problem],
    ['+15551234567', problem],
    ['', problem],
  ])('%j → %s', (to, expected) => {
    expect(smtpRecipientProblem(to)).toBe(expected);
  });
});

describe('classifySmtpError, for failures the fake cannot produce', () => {
  const withFields = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);
  it.each([
    [
      '454 temporary authentication failure',
      withFields('Invalid login: 454 4.7.0 Temporary authentication failure', {
        code: 'EAUTH',
        response: '454 4.7.0 Temporary authentication failure',
        responseCode: 454,
      }),
      { kind: 'retryable', code: '454' },
    ],
    [
      'credentials missing for AUTH',
      withFields('Missing credentials for "PLAIN"', { code: 'EAUTH' }),
      { kind: 'permanent', code: 'EAUTH', message: 'Missing credentials for "PLAIN"' },
    ],
    [
      '553 mailbox name not allowed',
      withFields('Mail command failed: 553 5.1.3 Sender address rejected', {
        code: 'EENVELOPE',
        response: '553 5.1.3 Sender address rejected',
        responseCode: 553,
      }),
      { kind: 'permanent', code: '553', message: '553 5.1.3 Sender address rejected' },
    ],
    ['greeting timeout', withFields('Greeting never received', { code: 'ETIMEDOUT' }), { kind: 'retryable', code: 'ETIMEDOUT' }],
    ['DNS failure', withFields('getaddrinfo ENOTFOUND smtp.nowhere', { code: 'EDNS' }), { kind: 'retryable', code: 'EDNS' }],
    [
      '421 at EHLO',
      withFields('Server terminates connection', { code: 'ECONNECTION', response: '421 4.3.2 Shutting down', responseCode: 421 }),
      { kind: 'retryable', code: 'ECONNECTION', message: '421 4.3.2 Shutting down' },
    ],
    [
      'message refused by the client before sending',
      withFields('Message size larger than allowed 1000', { code: 'EMESSAGE' }),
      { kind: 'permanent', code: 'EMESSAGE' },
    ],
    ['pool closed', new Error('Connection pool was closed'), { kind: 'retryable', code: 'unknown' }],
    ['not an error at all', 'boom', { kind: 'retryable', code: 'unknown', message: 'SMTP send failed' }],
  ])('%s', (_title, error, expected) => {
    expect(classifySmtpError(error)).toMatchObject(expected);
  });
});

describe('SMTP credentials', () => {
  const valid = { host: 'smtp.example.com', port: 587, from: 'no-reply@example.com' };

  it.each([
    ['a bare address', valid],
    [
      'a named sender, TLS and AUTH',
      { ...valid, port: 465, secure: true, username: 'u', password: 'p', from: 'Acme <no-reply@example.com>' },
    ],
    ['a quoted name with a comma', { ...valid, from: '"Acme, Inc." <no-reply@example.com>' }],
  ])('accepts %s', (_title, value) => {
    expect(validateSettings(SmtpCredentials, value, 'credentials')).toEqual([]);
  });

  it.each([
    ['a missing host', { port: 25, from: 'a@example.com' }, 'credentials.host'],
    ['port 0', { ...valid, port: 0 }, 'credentials.port'],
    ['port 70000', { ...valid, port: 70000 }, 'credentials.port'],
    ['a port given as a string', { ...valid, port: '587' }, 'credentials.port'],
    ['secure as a string', { ...valid, secure: 'yes' }, 'credentials.secure'],
    ['a sender that is not an address', { ...valid, from: 'Acme' }, 'credentials.from'],
    ['a named sender without a valid address', { ...valid, from: 'Acme <no-reply>' }, 'credentials.from'],
    ['a sender with a line break', { ...valid, from: 'Acme\r\nBcc: eve@example.com <a@example.com>' }, 'credentials.from'],
    ['an unknown field', { ...valid, tls: true }, 'credentials.tls'],
  ])('refuses %s', (_title, value, field) => {
    expect(validateSettings(SmtpCredentials, value, 'credentials').map((e) => e.field)).toContain(field);
  });

  it('reads the address and the unquoted name of a sender', () => {
    expect(parseSmtpSender('"Acme, \\"Inc.\\"" <a@example.com>')).toEqual({ name: 'Acme, "Inc."', address: 'a@example.com' });
    expect(parseSmtpSender('a@example.com')).toEqual({ name: '', address: 'a@example.com' });
    expect(parseSmtpSender('Acme "Inc" <a@example.com>')).toBeNull();
  });
});
