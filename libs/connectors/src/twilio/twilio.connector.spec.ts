import Ajv, { type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import { validate } from 'class-validator';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { TwilioFake, TwilioFakeAccount, TwilioFakeRequest, TwilioMessageStatus } from '../../../../test/fakes/twilio.fake';
import { ProviderError, ProviderStatus } from '../connector.interface';
import { validateSettings } from '../validate-settings';
import { TwilioConnector } from './twilio.connector';
import { TwilioConfig, TwilioCredentials } from './twilio.credentials';
import { classifyTwilioFailure } from './twilio.errors';
import { twilioRecipientProblem } from './twilio.recipient';
import { mapTwilioStatus, twilioSignature, verifyTwilioSignature } from './twilio.signature';
import { rejection } from '../testing/rejection';

const TO = '+14155552671';
const FROM = '+14155550199';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const PUBLIC_URL = 'https://messagejs.example.com';
const CONNECTOR_ID = '5b0e3f4c-7d2a-4c59-9d0b-2f6a1e8c3b71';

let fake: TwilioFake;
let account: TwilioFakeAccount;

beforeAll(async () => {
  fake = await TwilioFake.start();
  account = fake.addAccount({ friendlyName: 'Acme Notifications' });
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.delayMs = 0;
});

interface Build {
  sender?: { from: string } | { messagingServiceSid: string };
  publicUrl?: string;
  authToken?: string;
  accountSid?: string;
  baseUrl?: string;
  timeoutMs?: number;
}

function connector(build: Build = {}): TwilioConnector {
  const credentials: TwilioCredentials = {
    accountSid: build.accountSid ?? account.accountSid,
    authToken: build.authToken ?? account.authToken,
    ...(build.sender ?? { from: FROM }),
  };
  const outbound = { allowPrivate: true, allowedHosts: [] }; // the fake listens on loopback
  const context = { connectorId: CONNECTOR_ID, outbound, ...(build.publicUrl ? { publicUrl: build.publicUrl } : {}) };
  return new TwilioConnector(credentials, { baseUrl: build.baseUrl ?? fake.baseUrl }, context, { timeoutMs: build.timeoutMs });
}

function send(to = TO, via = connector(), text = 'Your code is 123456') {
  return via.sendMessage({ messageId: 'msg_1', to, text });
}

function lastRequest(): TwilioFakeRequest {
  const request = fake.requests.at(-1);
  if (!request) throw new Error('the fake saw no request');
  return request;
}

describe('TwilioConnector against the REST API fake', () => {
  it('sends To, Body and From as a Basic-authenticated form and returns the Message sid', async () => {
    const { externalId } = await send();
    expect(externalId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.sent.at(-1)).toMatchObject({ sid: externalId, to: TO, from: FROM, body: 'Your code is 123456' });

    const request = lastRequest();
    expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${account.accountSid}/Messages.json` });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(String(request.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe(`${account.accountSid}:${account.authToken}`);
    expect(request.params).toEqual({ To: TO, Body: 'Your code is 123456', From: FROM });
  });

  it('sends MessagingServiceSid instead of From when the connector uses a Messaging Service', async () => {
    const { externalId } = await send(TO, connector({ sender: { messagingServiceSid: SERVICE } }));
    expect(lastRequest().params).toEqual({ To: TO, Body: 'Your code is 123456', MessagingServiceSid: SERVICE });
    expect(fake.message(externalId)).toMatchObject({ from: null, messagingServiceSid: SERVICE, status: 'queued' });
  });

  it('asks for status callbacks at PUBLIC_URL only when one is configured', async () => {
    await send(TO, connector({ publicUrl: PUBLIC_URL }));
    expect(lastRequest().params.StatusCallback).toBe(`${PUBLIC_URL}/api/v1/callbacks/twilio/${CONNECTOR_ID}`);
    await send(TO, connector());
    expect(lastRequest().params).not.toHaveProperty('StatusCallback');
  });

  it('form-encodes bodies with Unicode, ampersands and plus signs intact', async () => {
    const text = 'Olá & +1 = 100% ✓\nline two';
    const { externalId } = await send(TO, connector(), text);
    expect(fake.message(externalId)?.body).toBe(text);
  });

  it('verifies the account by fetching it and names it by its friendly name', async () => {
    await expect(connector().validate()).resolves.toEqual({ ok: true, identity: 'Acme Notifications' });
    expect(lastRequest()).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${account.accountSid}.json` });
  });

  it('refuses to verify a suspended account', async () => {
    const suspended = fake.addAccount({ status: 'suspended' });
    const via = connector({ accountSid: suspended.accountSid, authToken: suspended.authToken });
    await expect(rejection(via.validate())).resolves.toMatchObject({ kind: 'permanent', code: 'account_suspended' });
  });

  it('refuses a wrong auth token as permanent 20003 Authenticate', async () => {
    const error = await rejection(connector({ authToken: 'f'.repeat(32) }).validate());
    expect(error).toMatchObject({ kind: 'permanent', code: '20003', message: 'Authenticate' });
  });

  it.each<[TwilioMessageStatus, ProviderStatus | null]>([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['partially_delivered', null],
  ])('reads Twilio status %s as %s', async (twilioStatus, ours) => {
    const { externalId } = await send();
    fake.setStatus(externalId, twilioStatus);
    await expect(connector().getStatus(externalId)).resolves.toBe(ours);
    expect(lastRequest()).toMatchObject({
      method: 'GET',
      path: `/2010-04-01/Accounts/${account.accountSid}/Messages/${externalId}.json`,
    });
  });

  it('fails permanently with 20404 for a Message Twilio does not know', async () => {
    const error = await rejection(connector().getStatus(`SM${'0'.repeat(32)}`));
    expect(error).toMatchObject({ kind: 'permanent', code: '20404' });
  });

  it('turns 429 with Retry-After into rateLimited with the wait in milliseconds', async () => {
    fake.failNext('429', 1, { retryAfter: 7 });
    const error = await rejection(send());
    expect(error).toMatchObject({ kind: 'rateLimited', code: '20429', message: 'Too Many Requests', retryAfterMs: 7000 });
  });

  it('waits one second on a 20429 without Retry-After', async () => {
    fake.failNext('20429');
    await expect(rejection(send())).resolves.toMatchObject({ kind: 'rateLimited', code: '20429', retryAfterMs: 1000 });
  });

  it.each([
    ['21211', `The 'To' number ${TO} is not a valid phone number.`],
    ['21610', 'Attempt to send to unsubscribed recipient'],
    ['21614', `'To' number ${TO} is not a valid mobile number`],
  ] as const)("fails permanently on %s with Twilio's message", async (kind, message) => {
    fake.failNext(kind);
    await expect(rejection(send())).resolves.toMatchObject({ kind: 'permanent', code: kind, message });
  });

  it('fails permanently on a body over 1600 characters (21617)', async () => {
    const error = await rejection(send(TO, connector(), 'x'.repeat(1601)));
    expect(error).toMatchObject({ kind: 'permanent', code: '21617' });
  });

  it.each([
    ['a 500', '500', '20500'],
    ['a dropped socket', 'drop', 'network'],
  ] as const)('treats %s as retryable', async (_title, kind, code) => {
    fake.failNext(kind);
    await expect(rejection(send())).resolves.toMatchObject({ kind: 'retryable', code });
  });

  it('treats no answer within the timeout as retryable', async () => {
    fake.delayMs = 300;
    const error = await rejection(send(TO, connector({ timeoutMs: 50 })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'timeout', message: 'Twilio did not answer in time' });
  });

  it('treats a refused connection as retryable', async () => {
    const gone = await TwilioFake.start();
    await gone.close();
    const error = await rejection(send(TO, connector({ baseUrl: gone.baseUrl })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'network', message: 'Could not reach Twilio (ECONNREFUSED)' });
  });

  it("never lets the auth token into an error or the connector's printed form", async () => {
    const wrongToken = `${account.authToken.slice(0, -4)}beef`;
    const secrets = [account.authToken, wrongToken, Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')];
    const failures: Array<() => Promise<unknown>> = [
      () => connector({ authToken: wrongToken }).validate(),
      () => connector({ authToken: wrongToken }).getStatus('SMnope'),
      () => send(''),
      () => send('not-a-number'),
      () => send(TO, connector(), 'x'.repeat(1601)),
      () => connector().getStatus(`SM${'1'.repeat(32)}`),
      () => connector({ baseUrl: 'not a url' }).validate(),
      () => send(TO, connector({ baseUrl: `http://${account.authToken}.invalid` })),
      ...(['429', '20429', '21211', '21610', '21614', '500', 'drop'] as const).map((kind) => () => {
        fake.failNext(kind);
        return send();
      }),
    ];
    for (const fail of failures) {
      const error = await rejection(fail());
      for (const printed of [error.message, String(error.stack), inspect(error), JSON.stringify(error)]) {
        for (const secret of secrets) expect(printed).not.toContain(secret);
      }
    }
    for (const printed of [inspect(connector()), JSON.stringify(connector())]) {
      for (const secret of secrets) expect(printed).not.toContain(secret);
    }
  });
});

describe("classifyTwilioFailure, fed with the fake's real answers", () => {
  type Expected = Partial<Pick<ProviderError, 'kind' | 'code' | 'message' | 'retryAfterMs'>>;
  interface Row {
    title: string;
    arrange?: (fake: TwilioFake) => void;
    method?: 'GET' | 'POST';
    path?: (accountSid: string) => string;
    auth?: (account: TwilioFakeAccount) => string;
    contentType?: string;
    body?: (to: string) => string;
    expected: Expected;
  }
  const permanent = (code: string, message?: string): Expected => ({ kind: 'permanent', code, ...(message ? { message } : {}) });
  const form = (params: Record<string, string>) => () => new URLSearchParams(params).toString();
  const rows: Row[] = [
    { title: 'wrong auth token', auth: (a) => `${a.accountSid}:${'0'.repeat(32)}`, expected: permanent('20003', 'Authenticate') },
    {
      title: "another account's path",
      path: () => `/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`,
      expected: permanent('20003', 'Authenticate'),
    },
    {
      title: 'unknown Message',
      method: 'GET',
      path: (sid) => `/2010-04-01/Accounts/${sid}/Messages/SM${'a'.repeat(32)}.json`,
      expected: permanent('20404'),
    },
    { title: 'missing To', body: form({ From: FROM, Body: 'hi' }), expected: permanent('21604', "A 'To' phone number is required.") },
    {
      title: 'JSON instead of a form',
      contentType: 'application/json',
      body: (to) => JSON.stringify({ To: to, From: FROM, Body: 'hi' }),
      expected: permanent('21604'),
    },
    {
      title: 'To not in E.164',
      body: form({ To: '415-555-2671', From: FROM, Body: 'hi' }),
      expected: permanent('21211', "The 'To' number 415-555-2671 is not a valid phone number."),
    },
    { title: 'no sender', body: form({ To: TO, Body: 'hi' }), expected: permanent('21603', "A 'From' phone number is required.") },
    { title: 'malformed From', body: form({ To: TO, From: '+1 (415) x', Body: 'hi' }), expected: permanent('21212') },
    {
      title: 'malformed MessagingServiceSid',
      body: form({ To: TO, MessagingServiceSid: 'MG1', Body: 'hi' }),
      expected: permanent('21701'),
    },
    { title: 'no body', body: form({ To: TO, From: FROM }), expected: permanent('21602', 'Message body is required.') },
    { title: 'body over 1600 characters', body: form({ To: TO, From: FROM, Body: 'é'.repeat(1601) }), expected: permanent('21617') },
    { title: 'unsubscribed recipient', arrange: (f) => f.failNext('21610'), expected: permanent('21610') },
    { title: 'not a mobile number', arrange: (f) => f.failNext('21614'), expected: permanent('21614') },
    {
      title: 'rate limit with Retry-After',
      arrange: (f) => f.failNext('429', 1, { retryAfter: 3 }),
      expected: { kind: 'rateLimited', code: '20429', retryAfterMs: 3000 },
    },
    { title: 'rate limit without Retry-After', arrange: (f) => f.failNext('20429'), expected: { kind: 'rateLimited', retryAfterMs: 1000 } },
    { title: 'internal error', arrange: (f) => f.failNext('500'), expected: { kind: 'retryable', code: '20500' } },
    { title: 'dropped socket', arrange: (f) => f.failNext('drop'), expected: { kind: 'retryable', code: 'network' } },
  ];

  it.each(rows)('$title', async ({ arrange, method = 'POST', path, auth, contentType, body, expected }) => {
    arrange?.(fake);
    const url = `${fake.baseUrl}${path ? path(account.accountSid) : `/2010-04-01/Accounts/${account.accountSid}/Messages.json`}`;
    const credentials = auth ? auth(account) : `${account.accountSid}:${account.authToken}`;
    const failure = await fetch(url, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
        'content-type': contentType ?? 'application/x-www-form-urlencoded',
      },
      body: method === 'POST' ? (body ?? form({ To: TO, From: FROM, Body: 'hi' }))(TO) : undefined,
    }).then(
      async (response) => ({ status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') }),
      (error: unknown) => ({ error }),
    );
    expect(classifyTwilioFailure(failure)).toMatchObject(expected);
  });

  const twilioBody = (status: number, code: number, message: string) =>
    JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  it.each([
    ['21408', "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +99155552671."],
    ['21606', 'The From phone number +14155550199 is not a valid, SMS-capable inbound phone number or short code for your account.'],
    ['21212', "The 'From' number +1415 is not a valid phone number, shortcode, or alphanumeric sender ID."],
  ])("classifies documented error %s as permanent with Twilio's message", (code, message) => {
    expect(classifyTwilioFailure({ status: 400, body: twilioBody(400, Number(code), message) })).toEqual(
      ProviderError.permanent(code, message),
    );
  });

  it('treats code 20429 as rate limiting whatever the HTTP status', () => {
    const failure = { status: 400, body: twilioBody(400, 20429, 'Too Many Requests'), retryAfter: '2' };
    expect(classifyTwilioFailure(failure)).toMatchObject({ kind: 'rateLimited', code: '20429', retryAfterMs: 2000 });
  });

  it('reads a Retry-After given as an HTTP date', () => {
    const retryAfter = new Date(Date.now() + 30_000).toUTCString();
    const error = classifyTwilioFailure({ status: 429, body: '', retryAfter });
    expect(error).toMatchObject({ kind: 'rateLimited', code: '429' });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it.each([
    ["a proxy's HTML 502", 502],
    ['an HTML 403 from a firewall', 403],
  ])('treats %s (not Twilio JSON) as retryable', (_title, status) => {
    const error = classifyTwilioFailure({ status, body: '<html><body>Bad Gateway</body></html>' });
    expect(error).toMatchObject({ kind: 'retryable', code: String(status) });
  });

  it('reports a timeout without quoting the request', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTwilioFailure({ error: timeout })).toMatchObject({ kind: 'retryable', code: 'timeout' });
  });
});

describe('twilioRecipientProblem', () => {
  it.each(['+14155552671', '+447911123456', '+33612345678'])('accepts %s', (to) => {
    expect(twilioRecipientProblem(to)).toBeNull();
  });

  it.each(['4155552671', '+1 415 555 2671', '+1-415-555-2671', '+1415555267', 'whatsapp:+14155552671', '', '@channel'])(
    'refuses %j',
    (to) => {
      expect(twilioRecipientProblem(to)).toBe('must be an E.164 phone number, like +14155552671');
    },
  );
});

describe('Twilio request signatures', () => {
  /** Written from the docs, separately from the module under test: URL, then sorted name+value pairs. */
  function documentedSignature(token: string, url: string, params: Record<string, string>): string {
    const names = Object.keys(params);
    names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    let data = url;
    for (const name of names) data += `${name}${params[name]}`;
    return createHmac('sha1', Buffer.from(token, 'utf8')).update(Buffer.from(data, 'utf8')).digest('base64');
  }

  // The worked example in Twilio's "Webhooks security" guide.
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };

  it("matches Twilio's documented example", () => {
    expect(documentedSignature(token, url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature(token, url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(verifyTwilioSignature(token, url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
  });

  it('sorts parameter names case-sensitively and ignores insertion order', () => {
    const mixed = { b: '1', MessageStatus: 'delivered', B: '2', a: '3', ErrorCode: '' };
    expect(twilioSignature(account.authToken, PUBLIC_URL, mixed)).toBe(documentedSignature(account.authToken, PUBLIC_URL, mixed));
    const reordered = { a: '3', B: '2', ErrorCode: '', MessageStatus: 'delivered', b: '1' };
    expect(twilioSignature(account.authToken, PUBLIC_URL, reordered)).toBe(twilioSignature(account.authToken, PUBLIC_URL, mixed));
  });

  const good = documentedSignature(token, url, params);
  const without = (from: Record<string, string>, name: string) => Object.fromEntries(Object.entries(from).filter(([key]) => key !== name));
  it.each<[string, () => boolean]>([
    ['a changed value', () => verifyTwilioSignature(token, url, { ...params, Digits: '1235' }, good)],
    ['an added parameter', () => verifyTwilioSignature(token, url, { ...params, Extra: '' }, good)],
    ['a removed parameter', () => verifyTwilioSignature(token, url, without(params, 'Digits'), good)],
    ['another URL', () => verifyTwilioSignature(token, url.replace('https:', 'http:'), params, good)],
    ['another query string', () => verifyTwilioSignature(token, `${url}&baz=3`, params, good)],
    ['another auth token', () => verifyTwilioSignature('54321', url, params, good)],
    ['a missing header', () => verifyTwilioSignature(token, url, params, undefined)],
    ['an empty header', () => verifyTwilioSignature(token, url, params, '')],
    ['a truncated header', () => verifyTwilioSignature(token, url, params, good.slice(0, -1))],
    ['a flipped character', () => verifyTwilioSignature(token, url, params, `${good[0] === 'A' ? 'B' : 'A'}${good.slice(1)}`)],
  ])('refuses %s', (_title, check) => {
    expect(check()).toBe(false);
  });

  it("accepts the fake's signed StatusCallback at the URL the connector gave Twilio", async () => {
    const received: Array<{ url: string; body: string; signature: string | undefined }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const signature = req.headers['x-twilio-signature'];
        received.push({
          url: req.url ?? '',
          body: Buffer.concat(chunks).toString(),
          signature: typeof signature === 'string' ? signature : undefined,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    try {
      const publicUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const { externalId } = await send(TO, connector({ publicUrl, sender: { messagingServiceSid: SERVICE } }));
      const delivered = await fake.deliverStatusCallback(externalId, 'undelivered', { errorCode: 30003 });

      expect(delivered.status).toBe(204);
      expect(received).toHaveLength(1);
      expect(received[0].url).toBe(`/api/v1/callbacks/twilio/${CONNECTOR_ID}`);
      const form = Object.fromEntries(new URLSearchParams(received[0].body));
      expect(form).toEqual({
        AccountSid: account.accountSid,
        ApiVersion: '2010-04-01',
        ErrorCode: '30003',
        From: expect.stringMatching(/^\+\d+$/),
        MessageSid: externalId,
        MessageStatus: 'undelivered',
        MessagingServiceSid: SERVICE,
        SmsSid: externalId,
        SmsStatus: 'undelivered',
        To: TO,
      });
      const callbackUrl = `${publicUrl}${received[0].url}`;
      expect(verifyTwilioSignature(account.authToken, callbackUrl, form, received[0].signature)).toBe(true);
      expect(verifyTwilioSignature(account.authToken, callbackUrl, { ...form, MessageStatus: 'delivered' }, received[0].signature)).toBe(
        false,
      );
      expect(mapTwilioStatus(form.MessageStatus)).toBe('failed');
    } finally {
      await new Promise<void>((done) => receiver.close(() => done()));
    }
  });
});

describe('Twilio credentials and config', () => {
  const valid = { accountSid: 'AC0123456789abcdef0123456789ABCDEF', authToken: '0123456789abcdef0123456789abcdef' };
  const errorsOf = async (value: object) => validate(Object.assign(new TwilioCredentials(), value));

  it.each([
    ['an E.164 from', { from: '+14155552671' }],
    ['an alphanumeric sender ID', { from: 'Acme Co' }],
    ['a Messaging Service', { messagingServiceSid: SERVICE }],
  ])('accepts %s', async (_title, sender) => {
    expect(await errorsOf({ ...valid, ...sender })).toEqual([]);
  });

  it.each([
    ['neither sender', {}],
    ['both senders', { from: '+14155552671', messagingServiceSid: SERVICE }],
  ])('refuses %s with an error on from', async (_title, sender) => {
    const errors = await errorsOf({ ...valid, ...sender });
    expect(errors.map((e) => [e.property, e.constraints])).toEqual([
      ['from', { exactlyOneSender: 'give exactly one of from and messagingServiceSid' }],
    ]);
  });

  it.each([
    ['accountSid', { accountSid: 'AC123' }],
    ['accountSid', { accountSid: `SK${'0'.repeat(32)}` }],
    ['authToken', { authToken: 'short' }],
    ['authToken', { authToken: 'x'.repeat(65) }],
    ['from', { from: '4155552671' }],
    ['from', { from: 'TwelveLetter' }],
    ['from', { from: '12345' }],
    ['messagingServiceSid', { messagingServiceSid: 'MG123', from: undefined }],
  ])('refuses a malformed %s', async (field, change) => {
    const errors = await errorsOf({ ...valid, from: FROM, ...change });
    expect(errors.map((e) => e.property)).toContain(field);
  });

  it('reports through validateSettings with the field path and refuses unknown fields', () => {
    expect(validateSettings(TwilioCredentials, { ...valid }, 'credentials')).toEqual([
      { field: 'credentials.from', message: 'give exactly one of from and messagingServiceSid' },
    ]);
    expect(validateSettings(TwilioCredentials, { ...valid, from: FROM, region: 'ie1' }, 'credentials')).toEqual([
      { field: 'credentials.region', message: 'is not a known field' },
    ]);
  });

  it('accepts an http base URL without a TLD and refuses one without protocol', async () => {
    expect(await validate(Object.assign(new TwilioConfig(), { baseUrl: fake.baseUrl }))).toEqual([]);
    const [error] = await validate(Object.assign(new TwilioConfig(), { baseUrl: 'api.twilio.com' }));
    expect(error.property).toBe('baseUrl');
  });
});

// ---------------------------------------------------------------------------------------------
// Conformance with Twilio's own OpenAPI description: what the connector really puts on the wire.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; schema: SchemaObject; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
  security?: Array<Record<string, string[]>>;
  'x-twilio'?: { conditional?: string[][] };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
}

// The part of Twilio's description this spec needs, kept in the repository (fixtures/README.md says where it comes from).
const FIXTURE_PATH = resolve(__dirname, 'fixtures', 'twilio_api_v2010.messages.json');
/** A full copy of the description, when one is at hand: the fixture must then match it. */
const FULL_SPEC_PATH = process.env.TWILIO_OPENAPI_SPEC;

function loadSpec(file = FIXTURE_PATH): OpenApi {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
}

function findOperation(spec: OpenApi, operationId: string): { path: string; method: string; operation: Operation } {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId === operationId) return { path, method: method.toUpperCase(), operation };
    }
  }
  throw new Error(`${operationId} is not in the OpenAPI description`);
}

/** Inlines local `#/…` references (the description uses them for enums and resources). */
function deref(node: Json, root: Json, seen: ReadonlySet<string> = new Set()): Json {
  if (Array.isArray(node)) return node.map((item) => deref(item, root, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/') || seen.has(ref)) throw new Error(`cannot inline $ref ${ref}`);
    const target = ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<Json>((at, key) => (at !== null && typeof at === 'object' && !Array.isArray(at) ? at[key] : null), root);
    if (target === null || target === undefined) throw new Error(`dangling $ref ${ref}`);
    return deref(target, root, new Set([...seen, ref]));
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, deref(value, root, seen)]));
}

/** `messaging_service_sid` (x-twilio's spelling) → `MessagingServiceSid` (the wire's). */
const pascal = (snake: string) => snake.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());

describe("the connector's CreateMessage requests against Twilio's OpenAPI description", () => {
  const spec = loadSpec();
  const root = spec as unknown as Json;
  const create = findOperation(spec, 'CreateMessage');
  const FORM = 'application/x-www-form-urlencoded';
  const requestContent = create.operation.requestBody?.content ?? {};
  const bodySchema = deref(requestContent[FORM]?.schema, root) as SchemaObject;
  const properties = Object.keys((bodySchema.properties ?? {}) as object);
  const required = (bodySchema.required ?? []) as string[];

  // Formats the description uses beyond JSON Schema's: Twilio's senders and addresses, RFC 2822 dates.
  const ajv = new Ajv({ strict: false, coerceTypes: false, allErrors: true, useDefaults: false, removeAdditional: false });
  addFormats(ajv);
  ajv.addFormat('phone-number', /^(\+[1-9]\d{1,14}|\d{5,6}|(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11}|[a-z]+:\S+)$/);
  ajv.addFormat('date-time-rfc-2822', /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
  ajv.addFormat('currency', /^[A-Za-z]{3}$/);
  ajv.addFormat('uri-map', () => true);
  const validateBody = ajv.compile(bodySchema);
  // The description allows unknown names; this copy does not, so a misspelt field cannot slip through.
  const validateKnownNames = ajv.compile({ ...bodySchema, additionalProperties: false });

  function expectConforms(request: TwilioFakeRequest): void {
    expect(request.method).toBe(create.method);
    const template = new RegExp(`^${create.path.replace(/\./g, '\\.').replace(/\{([A-Za-z]+)\}/g, '(?<$1>[^/]+)')}$`);
    const match = template.exec(request.path);
    expect(match).not.toBeNull();
    for (const parameter of create.operation.parameters?.filter((p) => p.in === 'path') ?? []) {
      expect(ajv.validate(parameter.schema, decodeURIComponent(match?.groups?.[parameter.name] ?? ''))).toBe(true);
    }
    const mediaType = String(request.headers['content-type']).split(';')[0].trim().toLowerCase();
    expect(Object.keys(requestContent)).toContain(mediaType);
    const scheme = spec.components.securitySchemes[Object.keys(create.operation.security?.[0] ?? {})[0]];
    expect(scheme).toEqual({ type: 'http', scheme: 'basic' });
    expect(request.headers.authorization).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);

    const ok = validateBody(request.params);
    expect(validateBody.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validateKnownNames(request.params)).toBe(true);
    for (const name of required) expect(request.params).toHaveProperty(name);
    // x-twilio "conditional": at least one of each group (a sender; a body, media or content).
    for (const group of create.operation['x-twilio']?.conditional ?? []) {
      const names = group.map(pascal);
      for (const name of names) expect(properties).toContain(name);
      expect(names.some((name) => request.params[name] !== undefined)).toBe(true);
    }
  }

  (FULL_SPEC_PATH ? it : it.skip)('matches the full description (TWILIO_OPENAPI_SPEC)', () => {
    const full = loadSpec(FULL_SPEC_PATH);
    for (const operationId of ['CreateMessage', 'FetchMessage', 'FetchAccount']) {
      const ours = findOperation(spec, operationId);
      const theirs = findOperation(full, operationId);
      expect(theirs.path).toBe(ours.path);
      expect(deref(theirs.operation as unknown as Json, full as unknown as Json)).toEqual(deref(ours.operation as unknown as Json, root));
    }
    expect(full.components.securitySchemes).toEqual(spec.components.securitySchemes);
  });

  it('reads the operation the connector implements from the description', () => {
    expect(create).toMatchObject({ path: '/2010-04-01/Accounts/{AccountSid}/Messages.json', method: 'POST' });
    expect(required).toEqual(['To']);
    expect(properties).toEqual(expect.arrayContaining(['To', 'From', 'MessagingServiceSid', 'Body', 'StatusCallback']));
  });

  it.each<[string, Build]>([
    ['From', { sender: { from: FROM } }],
    ['an alphanumeric From', { sender: { from: 'Acme' } }],
    ['MessagingServiceSid', { sender: { messagingServiceSid: SERVICE } }],
    ['From and StatusCallback', { sender: { from: FROM }, publicUrl: PUBLIC_URL }],
    ['MessagingServiceSid and StatusCallback', { sender: { messagingServiceSid: SERVICE }, publicUrl: PUBLIC_URL }],
  ])('sends a conforming request with %s', async (_title, build) => {
    // The request is judged by the description first, whatever the fake made of it.
    const outcome = await send(TO, connector(build)).then(
      () => 'sent',
      (error: unknown) => error,
    );
    const request = lastRequest();
    expectConforms(request);
    expect(Object.keys(request.params).sort()).toEqual(
      [
        'To',
        'Body',
        ...('from' in (build.sender ?? {}) ? ['From'] : ['MessagingServiceSid']),
        ...(build.publicUrl ? ['StatusCallback'] : []),
      ].sort(),
    );
    expect(outcome).toBe('sent');
  });

  it.each<[string, Record<string, string>, string]>([
    ['a lowercase to', { to: TO, From: FROM, Body: 'hi' }, 'To'],
    ['a snake_case sender', { To: TO, messaging_service_sid: SERVICE, Body: 'hi' }, 'messaging_service_sid'],
    ['a relative StatusCallback', { To: TO, From: FROM, Body: 'hi', StatusCallback: '/api/v1/callbacks/twilio/x' }, 'StatusCallback'],
    ['a malformed MessagingServiceSid', { To: TO, MessagingServiceSid: 'MG123', Body: 'hi' }, 'MessagingServiceSid'],
    ['a To that is no address', { To: '415 555 2671', From: FROM, Body: 'hi' }, 'To'],
  ])('would catch %s', (_title, params, culprit) => {
    const request: TwilioFakeRequest = {
      ...lastRequest(),
      params,
    };
    expect(() => expectConforms(request)).toThrow();
    const failures = [
      ...(validateBody(params) ? [] : (validateBody.errors ?? [])),
      ...(validateKnownNames(params) ? [] : (validateKnownNames.errors ?? [])),
    ];
    expect(
      failures.some(
        (e) => e.instancePath === `/${culprit}` || e.params.missingProperty === culprit || e.params.additionalProperty === culprit,
      ),
    ).toBe(true);
  });

  it("answers with Twilio's Message and Account resources, as the description defines them", async () => {
    const { externalId } = await send(TO, connector({ publicUrl: PUBLIC_URL }));
    const auth = { authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}` };
    const base = `${fake.baseUrl}/2010-04-01/Accounts/${account.accountSid}`;
    const checks: Array<[string, string, string]> = [
      ['CreateMessage', '201', ''],
      ['FetchMessage', '200', `${base}/Messages/${externalId}.json`],
      ['FetchAccount', '200', `${base}.json`],
    ];
    for (const [operationId, status, url] of checks) {
      const { operation } = findOperation(spec, operationId);
      const schema = deref(operation.responses[status].content?.['application/json'].schema as Json, root) as SchemaObject;
      const body: unknown = url
        ? await fetch(url, { headers: auth }).then((r) => r.json())
        : await fetch(`${base}/Messages.json`, {
            method: 'POST',
            headers: { ...auth, 'content-type': FORM },
            body: new URLSearchParams({ To: TO, From: FROM, Body: 'hi' }).toString(),
          }).then((r) => r.json());
      const validateResource = ajv.compile({ ...schema, additionalProperties: false });
      const valid = validateResource(body);
      expect(validateResource.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      expect(Object.keys(body as object).sort()).toEqual(Object.keys(schema.properties as object).sort());
    }
  });
});
