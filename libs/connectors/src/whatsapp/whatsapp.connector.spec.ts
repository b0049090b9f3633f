import { validate } from 'class-validator';
import { inspect } from 'node:util';
import { WhatsAppFake, WhatsAppFakeFailure, WhatsAppFakePhoneNumber } from '../../../../test/fakes/whatsapp.fake';
import { OutboundMessage, ProviderError } from '../connector.interface';
import { WhatsAppConnector } from './whatsapp.connector';
import { WhatsAppConfig, WhatsAppCredentials } from './whatsapp.credentials';
import { classifyWhatsAppFailure } from './whatsapp.errors';
import { toWhatsAppDigits, whatsappRecipientProblem } from './whatsapp.recipient';
import { parseWhatsAppStatuses, verifyWhatsAppSignature } from './whatsapp.signature';
import { rejection } from '../testing/rejection';

const APP_SECRET = 'a3f1c0ffee5eed0fdecaf0b1ab1e5a1d';
const TEMPLATE_HINT = 'send an approved WhatsApp template instead';

let fake: WhatsAppFake;
let number: WhatsAppFakePhoneNumber;

beforeAll(async () => {
  fake = await WhatsAppFake.start();
  number = fake.addPhoneNumber({ displayPhoneNumber: '+1 415-555-0142', verifiedName: 'Acme Support' });
  fake.addTemplate('order_shipped', 2);
  fake.addTemplate('hello_world', 0);
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.delayMs = 0;
});

interface ConnectorOverrides {
  accessToken?: string;
  phoneNumberId?: string;
  baseUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
}

function connector(overrides: ConnectorOverrides = {}): WhatsAppConnector {
  const { accessToken = number.accessToken, phoneNumberId = number.phoneNumberId, timeoutMs } = overrides;
  const config = { baseUrl: overrides.baseUrl ?? fake.baseUrl, apiVersion: overrides.apiVersion };
  const outbound = { allowPrivate: true, allowedHosts: [] }; // the fake listens on loopback
  return new WhatsAppConnector({ accessToken, phoneNumberId }, config, { connectorId: 'conn_wa', outbound }, { timeoutMs });
}

function send(to: string, extra: Partial<OutboundMessage> = {}, via = connector()) {
  return via.sendMessage({ messageId: 'msg_1', to, text: 'Hello from MessageJS', ...extra });
}

describe('WhatsAppConnector against the Cloud API fake', () => {
  it('sends free text to the digits of the E.164 number and returns the wamid', async () => {
    const { externalId } = await send('+14155552671');
    expect(externalId).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(fake.sent.at(-1)).toMatchObject({ to: '14155552671', type: 'text', text: 'Hello from MessageJS', wamid: externalId });
    expect(fake.requests.at(-1)).toEqual({
      method: 'POST',
      path: `/v21.0/${number.phoneNumberId}/messages`,
      authorization: `Bearer ${number.accessToken}`,
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '14155552671',
        type: 'text',
        text: { preview_url: false, body: 'Hello from MessageJS' },
      },
    });
  });

  it('sends an approved template instead of the text, with its body parameters in order', async () => {
    const whatsappTemplate = { name: 'order_shipped', language: 'en_US', parameters: ['Ada', '#42'] };
    const { externalId } = await send('+447911123456', { whatsappTemplate });
    expect(fake.requests.at(-1)?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447911123456',
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ada' },
              { type: 'text', text: '#42' },
            ],
          },
        ],
      },
    });
    expect(fake.sent.at(-1)).toMatchObject({ type: 'template', template: whatsappTemplate, wamid: externalId });
  });

  it('leaves out components for a template without variables', async () => {
    await send('+447911123456', { whatsappTemplate: { name: 'hello_world', language: 'en_US', parameters: [] } });
    expect(fake.requests.at(-1)?.body).toMatchObject({ template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(fake.requests.at(-1)?.body).not.toHaveProperty('template.components');
  });

  it("refuses an unknown template and a wrong parameter count permanently, in Meta's words", async () => {
    const unknown = await rejection(send('+14155552671', { whatsappTemplate: { name: 'nope', language: 'en_US', parameters: [] } }));
    expect(unknown).toMatchObject({
      kind: 'permanent',
      code: '132001',
      message: '(#132001) Template name does not exist in the translation: template name (nope) does not exist in en_US',
    });
    const template = { name: 'order_shipped', language: 'en_US', parameters: ['Ada'] };
    const mismatch = await rejection(send('+14155552671', { whatsappTemplate: template }));
    expect(mismatch).toMatchObject({ kind: 'permanent', code: '132000' });
    expect(mismatch.message).toContain('number of localizable_params (1) does not match the expected number of params (2)');
  });

  it('calls the configured Graph API version', async () => {
    await send('+14155552671', {}, connector({ apiVersion: 'v22.0' }));
    expect(fake.requests.at(-1)?.path).toBe(`/v22.0/${number.phoneNumberId}/messages`);
  });

  it('verifies the number and names it by display number and verified name', async () => {
    await expect(connector().validate()).resolves.toEqual({ ok: true, identity: '+1 415-555-0142 (Acme Support)' });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v21.0/${number.phoneNumberId}?fields=display_phone_number,verified_name`,
    });
  });

  it('refuses an unknown access token as permanent 190', async () => {
    const error = await rejection(connector({ accessToken: `${number.accessToken}x` }).validate());
    expect(error).toMatchObject({
      kind: 'permanent',
      code: '190',
      message: 'Invalid OAuth access token - Cannot parse access token',
    });
  });

  it('refuses a phone number id the token cannot see as permanent 100', async () => {
    const error = await rejection(send('+14155552671', {}, connector({ phoneNumberId: '123456789012345' })));
    expect(error).toMatchObject({ kind: 'permanent', code: '100' });
    expect(error.message).toMatch(/^Unsupported post request\. Object with ID '123456789012345' does not exist/);
  });

  it.each([
    ['a throughput limit', '130429', { kind: 'rateLimited', code: '130429', retryAfterMs: 60_000 }],
    ['a pair rate limit', '131056', { kind: 'rateLimited', code: '131056', retryAfterMs: 60_000 }],
    ['a closed 24-hour window', '131047', { kind: 'permanent', code: '131047' }],
    ['an undeliverable recipient', '131026', { kind: 'permanent', code: '131026' }],
    ['a 500 "something went wrong"', '500', { kind: 'retryable', code: '131000' }],
    ['a dropped socket', 'drop', { kind: 'retryable', code: 'network' }],
  ] as const)('classifies %s', async (_title, kind: WhatsAppFakeFailure, expected) => {
    fake.failNext(kind);
    await expect(rejection(send('+14155552671'))).resolves.toMatchObject(expected);
  });

  it('tells the user to send a template when the 24-hour window has closed', async () => {
    fake.failNext('131047');
    const error = await rejection(send('+14155552671'));
    expect(error.message).toMatch(/^\(#131047\) Re-engagement message: Message failed to send because more than 24 hours/);
    expect(error.message).toContain(TEMPLATE_HINT);
  });

  it('waits as long as a Retry-After header asks', async () => {
    fake.failNext('130429', 1, { retryAfter: 7 });
    await expect(rejection(send('+14155552671'))).resolves.toMatchObject({ kind: 'rateLimited', retryAfterMs: 7_000 });
  });

  it('treats no answer within the timeout as retryable', async () => {
    fake.delayMs = 300;
    const error = await rejection(send('+14155552671', {}, connector({ timeoutMs: 50 })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'timeout', message: 'WhatsApp did not answer in time' });
  });

  it('treats a refused connection as retryable', async () => {
    const gone = await WhatsAppFake.start();
    await gone.close();
    const error = await rejection(send('+14155552671', {}, connector({ baseUrl: gone.baseUrl })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'network', message: 'Could not reach WhatsApp (ECONNREFUSED)' });
  });

  it('has no status to ask for: Meta reports it by webhook', () => {
    expect('getStatus' in connector()).toBe(false);
  });

  it("never lets the access token into an error or the connector's printed form", async () => {
    const token = number.accessToken;
    const failures: Array<() => Promise<unknown>> = [
      () => connector({ accessToken: `${token}x` }).validate(),
      () => send('+14155552671', {}, connector({ phoneNumberId: '999' })),
      () => send('+14155552671', { whatsappTemplate: { name: 'nope', language: 'en_US', parameters: [] } }),
      () => send('', { text: '' }),
      () => connector({ baseUrl: 'not a url' }).validate(),
      ...(['130429', '131056', '131047', '131026', '500', 'drop'] as const).map((kind) => () => {
        fake.failNext(kind);
        return send('+14155552671');
      }),
    ];
    for (const fail of failures) {
      const error = await rejection(fail());
      for (const printed of [error.message, String(error.stack), inspect(error), JSON.stringify(error)]) {
        expect(printed).not.toContain(token);
      }
    }
    expect(inspect(connector())).not.toContain(token);
    expect(JSON.stringify(connector())).not.toContain(token);
  });
});

describe("classifyWhatsAppFailure, fed with the fake's real answers", () => {
  type Expected = Partial<Pick<ProviderError, 'kind' | 'code' | 'message' | 'retryAfterMs'>>;
  interface Row {
    title: string;
    arrange?: (fake: WhatsAppFake) => void;
    path?: () => string;
    token?: () => string;
    body?: unknown;
    expected: Expected;
  }
  const text = (body: string) => ({ messaging_product: 'whatsapp', to: '14155552671', type: 'text', text: { body } });
  const rows: Row[] = [
    { title: 'no token', token: () => '', expected: { kind: 'permanent', code: '104' } },
    { title: 'unknown token', token: () => 'EAAnope', expected: { kind: 'permanent', code: '190' } },
    {
      title: 'missing messaging_product',
      body: { to: '14155552671', type: 'text', text: { body: 'hi' } },
      expected: { kind: 'permanent', code: '100', message: '(#100) The parameter messaging_product is required.' },
    },
    {
      title: 'text over 4096 characters',
      body: text('x'.repeat(4097)),
      expected: {
        kind: 'permanent',
        code: '100',
        message: "(#100) Invalid parameter: Param text['body'] must be at most 4096 characters long.",
      },
    },
    { title: 'empty text', body: text(''), expected: { kind: 'permanent', code: '100' } },
    { title: 'recipient with a plus', body: { ...text('hi'), to: '+14155552671' }, expected: { kind: 'permanent', code: '100' } },
    {
      title: 'throughput limit',
      arrange: (f) => f.failNext('130429'),
      expected: { kind: 'rateLimited', code: '130429', retryAfterMs: 60_000 },
    },
    {
      title: 'pair rate limit with Retry-After',
      arrange: (f) => f.failNext('131056', 1, { retryAfter: 2 }),
      expected: { kind: 'rateLimited', code: '131056', retryAfterMs: 2_000 },
    },
    { title: 're-engagement', arrange: (f) => f.failNext('131047'), expected: { kind: 'permanent', code: '131047' } },
    { title: 'undeliverable', arrange: (f) => f.failNext('131026'), expected: { kind: 'permanent', code: '131026' } },
    {
      title: 'something went wrong (HTTP 500)',
      arrange: (f) => f.failNext('500'),
      expected: {
        kind: 'retryable',
        code: '131000',
        message: '(#131000) Something went wrong: Message failed to send due to an unknown error.',
      },
    },
    { title: 'dropped socket', arrange: (f) => f.failNext('drop'), expected: { kind: 'retryable', code: 'network' } },
  ];

  it.each(rows)('$title', async ({ arrange, path, token = () => number.accessToken, body, expected }) => {
    arrange?.(fake);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token()) headers.authorization = `Bearer ${token()}`;
    const url = `${fake.baseUrl}${path?.() ?? `/v21.0/${number.phoneNumberId}/messages`}`;
    const failure = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body ?? text('hi')) }).then(
      async (response) => ({
        status: response.status,
        body: await response.text(),
        retryAfter: response.headers.get('retry-after'),
      }),
      (error: unknown) => ({ error }),
    );
    expect(classifyWhatsAppFailure(failure)).toMatchObject(expected);
  });

  // Codes the fake cannot provoke, in the shape of Meta's error-code reference.
  const graph = (status: number, code: number, message: string) => ({
    status,
    body: JSON.stringify({ error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEfGhIjKlMnOpQrStUvW' } }),
  });
  it.each([
    ['app request limit', 'rateLimited', '4', graph(400, 4, '(#4) Application request limit reached')],
    ['WABA rate limit', 'rateLimited', '80007', graph(400, 80007, '(#80007) Rate limit issues')],
    ['API call limit', 'rateLimited', '613', graph(400, 613, '(#613) Calls to this api have exceeded the rate limit.')],
    ['missing permission', 'permanent', '10', graph(403, 10, '(#10) Application does not have permission for this action')],
    ['missing API permission', 'permanent', '200', graph(403, 200, '(#200) Requires whatsapp_business_messaging permission')],
    ['unsupported message type', 'permanent', '131051', graph(400, 131051, '(#131051) Unsupported message type')],
    ['unregistered number', 'permanent', '133010', graph(400, 133010, '(#133010) Account not registered')],
    ['policy block (any other 4xx)', 'permanent', '368', graph(403, 368, '(#368) Temporarily blocked for policies violations')],
    ['temporary API outage', 'retryable', '2', graph(503, 2, '(#2) Service temporarily unavailable')],
    ['service unavailable', 'retryable', '131016', graph(500, 131016, '(#131016) Service unavailable')],
    ['unknown 5xx', 'retryable', '1', graph(500, 1, 'An unknown error occurred')],
    ["a proxy's HTML 502", 'retryable', '502', { status: 502, body: '<html><body>502 Bad Gateway</body></html>' }],
    ['a non-JSON 400', 'retryable', '400', { status: 400, body: 'Bad Request' }],
  ] as const)('classifies %s as %s %s', (_title, kind, code, failure) => {
    expect(classifyWhatsAppFailure(failure)).toMatchObject({ kind, code });
  });

  it('keeps an HTTP-date Retry-After as the time left until then', () => {
    const failure = { ...graph(400, 130429, '(#130429) Rate limit hit'), retryAfter: new Date(Date.now() + 30_000).toUTCString() };
    const { retryAfterMs } = classifyWhatsAppFailure(failure);
    expect(retryAfterMs).toBeGreaterThan(28_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
  });
});

describe('WhatsApp recipients', () => {
  it.each(['+14155552671', '+447911123456', '+4915112345678', '+919876543210'])('accepts %s', (to) => {
    expect(whatsappRecipientProblem(to)).toBeNull();
  });

  it.each([
    ['14155552671', 'without the plus'],
    ['+1 415 555 2671', 'with spaces'],
    ['+1-415-555-2671', 'with dashes'],
    ['+15551234567', 'with an area code that does not exist'],
    ['+1415555267', 'a digit short'],
    ['+0123456789', 'with country code 0'],
    ['@channel', 'that is no number'],
    ['', 'that is empty'],
  ])('refuses %j %s', (to) => {
    expect(whatsappRecipientProblem(to)).toBe('must be an E.164 phone number, like +14155552671');
  });

  it('sends the E.164 digits without the plus', () => {
    expect(toWhatsAppDigits('+14155552671')).toBe('14155552671');
  });
});

describe('WhatsApp credentials and config', () => {
  it('accepts a token, a numeric phone number id and a fake base URL without a TLD', async () => {
    const credentials = Object.assign(new WhatsAppCredentials(), {
      accessToken: number.accessToken,
      phoneNumberId: number.phoneNumberId,
      appSecret: APP_SECRET,
      verifyToken: 'hub-verify-me',
    });
    const config = Object.assign(new WhatsAppConfig(), { baseUrl: fake.baseUrl, apiVersion: 'v22.0' });
    expect([...(await validate(credentials)), ...(await validate(config))]).toEqual([]);
  });

  it.each([
    ['a short token', new WhatsAppCredentials(), { accessToken: 'EAA123', phoneNumberId: '1065' }, 'accessToken'],
    [
      'a phone number instead of its id',
      new WhatsAppCredentials(),
      { accessToken: 'E'.repeat(40), phoneNumberId: '+1 415' },
      'phoneNumberId',
    ],
    ['a base URL without protocol', new WhatsAppConfig(), { baseUrl: 'graph.facebook.com' }, 'baseUrl'],
    ['a version without the v', new WhatsAppConfig(), { apiVersion: '21.0' }, 'apiVersion'],
    [
      'a 7-character verify token',
      new WhatsAppCredentials(),
      { accessToken: 'E'.repeat(40), phoneNumberId: '1', verifyToken: 'short12' },
      'verifyToken',
    ],
  ])('rejects %s', async (_title, instance, values, property) => {
    const errors = await validate(Object.assign(instance, values));
    expect(errors.map((e) => e.property)).toEqual([property]);
  });
});

describe('WhatsApp status webhooks', () => {
  async function sentWamid(): Promise<string> {
    return (await send('+14155552671')).externalId;
  }

  it('accepts the signature Meta computes over the raw body', async () => {
    const { body, signature } = fake.statusWebhook({ wamid: await sentWamid(), status: 'delivered', recipient: '14155552671' }, APP_SECRET);
    expect(verifyWhatsAppSignature(Buffer.from(body), signature, APP_SECRET)).toBe(true);
  });

  it('refuses a tampered body, another secret, a missing or malformed header, and an empty secret', async () => {
    const { body, signature } = fake.statusWebhook({ wamid: await sentWamid(), status: 'read', recipient: '14155552671' }, APP_SECRET);
    const raw = Buffer.from(body);
    expect(verifyWhatsAppSignature(Buffer.from(body.replace('"read"', '"failed"')), signature, APP_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(raw, signature, `${APP_SECRET}x`)).toBe(false);
    expect(verifyWhatsAppSignature(raw, undefined, APP_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(raw, signature.replace('sha256=', 'sha1='), APP_SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(raw, signature.slice(0, -2), APP_SECRET)).toBe(false);
    const unsigned = fake.statusWebhook({ wamid: 'wamid.x', status: 'read', recipient: '14155552671' }, '');
    expect(verifyWhatsAppSignature(Buffer.from(unsigned.body), unsigned.signature, '')).toBe(false);
  });

  it.each(['sent', 'delivered', 'read'] as const)('reads a %s status with its time', async (status) => {
    const wamid = await sentWamid();
    const timestamp = new Date('2025-03-01T12:34:56.789Z');
    const { body } = fake.statusWebhook({ wamid, status, recipient: '14155552671', timestamp }, APP_SECRET);
    expect(parseWhatsAppStatuses(JSON.parse(body))).toEqual([{ externalId: wamid, status, at: '2025-03-01T12:34:56.000Z' }]);
  });

  it("reads a failed status with Meta's error, pointing to templates for a closed window", async () => {
    const wamid = await sentWamid();
    const errors = [
      {
        code: 131047,
        title: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    ];
    const { body } = fake.statusWebhook({ wamid, status: 'failed', recipient: '14155552671', errors }, APP_SECRET);
    const [update] = parseWhatsAppStatuses(JSON.parse(body));
    expect(update).toMatchObject({ externalId: wamid, status: 'failed', error: { code: '131047' } });
    expect(update.error?.message).toMatch(/^Re-engagement message: Message failed to send because more than 24 hours/);
    expect(update.error?.message).toContain(TEMPLATE_HINT);
  });

  it('skips inbound messages, statuses it does not track and malformed input', async () => {
    const wamid = await sentWamid();
    const envelope = JSON.parse(fake.statusWebhook({ wamid, status: 'delivered', recipient: '14155552671' }, APP_SECRET).body);
    const value = envelope.entry[0].changes[0].value;
    value.messages = [{ from: '14155552671', id: 'wamid.in', timestamp: '1740832496', type: 'text', text: { body: 'hi' } }];
    value.statuses.push({ ...value.statuses[0], id: 'wamid.deleted', status: 'deleted' }, { status: 'read' }, null);
    expect(parseWhatsAppStatuses(envelope)).toEqual([expect.objectContaining({ externalId: wamid, status: 'delivered' })]);
    for (const junk of [null, 'x', {}, { entry: 'x' }, { entry: [{ changes: [{ value: null }] }] }]) {
      expect(parseWhatsAppStatuses(junk)).toEqual([]);
    }
  });
});
