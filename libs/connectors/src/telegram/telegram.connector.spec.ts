import type { ConnectorType } from '@app/contracts';
import { validate } from 'class-validator';
import { inspect } from 'node:util';
import { TelegramFake } from '../../../../test/fakes/telegram.fake';
import { ProviderError } from '../connector.interface';
import { ConnectorRegistry } from '../connector.registry';
import { TelegramConnector } from './telegram.connector';
import { TelegramConfig, TelegramCredentials } from './telegram.credentials';
import { classifyTelegramFailure } from './telegram.errors';
import { rejection } from '../testing/rejection';

let fake: TelegramFake;
let token: string;

beforeAll(async () => {
  fake = await TelegramFake.start();
  token = fake.addToken();
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.delayMs = 0;
});

function connector(botToken = token, options: { timeoutMs?: number; baseUrl?: string } = {}): TelegramConnector {
  const outbound = { allowPrivate: true, allowedHosts: [] }; // the fake listens on loopback
  return new TelegramConnector({ botToken }, { baseUrl: options.baseUrl ?? fake.baseUrl }, { outbound, ...options });
}

function send(to: string, via = connector()) {
  return via.sendMessage({ messageId: 'msg_1', to, text: 'Hello from MessageJS' });
}

describe('TelegramConnector against the Bot API fake', () => {
  it('sends a message and returns "<chat id>:<message id>" as externalId', async () => {
    await expect(send('4242')).resolves.toEqual({ externalId: '4242:1' });
    await expect(send('4242')).resolves.toEqual({ externalId: '4242:2' });
    expect(fake.sent.filter((s) => s.chatId === '4242')).toEqual([
      expect.objectContaining({ token, text: 'Hello from MessageJS', messageId: 1 }),
      expect.objectContaining({ token, text: 'Hello from MessageJS', messageId: 2 }),
    ]);
  });

  it('sends to a @channel and reports its numeric chat id', async () => {
    const { externalId } = await send('@messagejs_news');
    expect(externalId).toMatch(/^-100\d+:1$/);
  });

  it('verifies the bot with getMe and names it by @username', async () => {
    const botId = token.split(':')[0];
    await expect(connector().validate()).resolves.toEqual({ ok: true, identity: `@fake_${botId}_bot` });
  });

  it('refuses an unknown bot token as permanent 401 Unauthorized', async () => {
    const error = await rejection(connector(`${token}x`).validate());
    expect(error).toMatchObject({ kind: 'permanent', code: '401', message: 'Unauthorized' });
  });

  it('turns 429 with retry_after into rateLimited with the wait in milliseconds', async () => {
    fake.failNext('429', 1, { retryAfter: 7 });
    const error = await rejection(send('4243'));
    expect(error).toMatchObject({ kind: 'rateLimited', code: '429', retryAfterMs: 7000 });
    expect(error.message).toBe('Too Many Requests: retry after 7');
  });

  it.each([
    ['a 500', '500', '500'],
    ["nginx's HTML 502", '502', '502'],
    ['a dropped socket', 'drop', 'network'],
  ] as const)('treats %s as retryable', async (_title, kind, code) => {
    fake.failNext(kind);
    await expect(rejection(send('4244'))).resolves.toMatchObject({ kind: 'retryable', code });
  });

  it('treats no answer within the timeout as retryable', async () => {
    fake.delayMs = 300;
    const error = await rejection(send('4245', connector(token, { timeoutMs: 50 })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'timeout' });
  });

  it('treats a refused connection as retryable', async () => {
    const gone = await TelegramFake.start();
    await gone.close();
    const error = await rejection(send('4246', connector(token, { baseUrl: gone.baseUrl })));
    expect(error).toMatchObject({ kind: 'retryable', code: 'network' });
    expect(error.message).toBe('Could not reach Telegram (ECONNREFUSED)');
  });

  it("fails permanently on a blocked chat with Telegram's description", async () => {
    fake.blockChat('5001');
    const error = await rejection(send('5001'));
    expect(error).toMatchObject({ kind: 'permanent', code: '403', message: 'Forbidden: bot was blocked by the user' });
  });

  it('fails permanently on a chat Telegram does not know', async () => {
    fake.unknownChat('5002');
    const error = await rejection(send('5002'));
    expect(error).toMatchObject({ kind: 'permanent', code: '400', message: 'Bad Request: chat not found' });
  });

  it('has no status to ask for', () => {
    expect('getStatus' in connector()).toBe(false);
  });

  it("never lets the bot token into an error or the connector's printed form", async () => {
    fake.blockChat('5001');
    fake.unknownChat('5002');
    const failures: Array<() => Promise<unknown>> = [
      () => connector(`${token}x`).validate(),
      () => send('5001'),
      () => send('5002'),
      () => send(''),
      () => connector(token, { baseUrl: 'not a url' }).validate(),
      ...(['429', '500', '502', 'drop'] as const).map((kind) => () => {
        fake.failNext(kind);
        return send('4247');
      }),
    ];
    for (const fail of failures) {
      const error = await rejection(fail());
      for (const printed of [error.message, String(error.stack), inspect(error), JSON.stringify(error)]) {
        expect(printed).not.toContain(token.split(':')[1]);
      }
    }
    expect(inspect(connector())).not.toContain(token.split(':')[1]);
    expect(JSON.stringify(connector())).not.toContain(token.split(':')[1]);
  });
});

describe("classifyTelegramFailure, fed with the fake's real answers", () => {
  type Expected = Partial<Pick<ProviderError, 'kind' | 'code' | 'message' | 'retryAfterMs' | 'httpStatus'>>;
  interface Row {
    title: string;
    arrange?: (fake: TelegramFake) => void;
    path?: (token: string) => string;
    params?: Record<string, unknown>;
    expected: Expected;
  }
  // The Bot API answers with the HTTP status its error_code names.
  const permanent = (code: string, message: string): Expected => ({ kind: 'permanent', code, message, httpStatus: Number(code) });
  const rows: Row[] = [
    { title: 'unknown token', path: () => '/bot1:nope/sendMessage', expected: permanent('401', 'Unauthorized') },
    { title: 'unknown method', path: (t) => `/bot${t}/sendTelepathy`, expected: permanent('404', 'Not Found') },
    { title: 'missing chat_id', params: { text: 'hi' }, expected: permanent('400', 'Bad Request: chat_id is empty') },
    {
      title: 'empty text',
      params: { chat_id: 1, text: '' },
      expected: permanent('400', 'Bad Request: message text is empty'),
    },
    {
      title: 'text over 4096 characters',
      params: { chat_id: 1, text: 'x'.repeat(4097) },
      expected: permanent('400', 'Bad Request: message is too long'),
    },
    {
      title: 'chat not found',
      params: { chat_id: 'no-such-chat', text: 'hi' },
      expected: permanent('400', 'Bad Request: chat not found'),
    },
    {
      title: 'bot blocked by the user',
      arrange: (f) => f.blockChat(6001),
      params: { chat_id: 6001, text: 'hi' },
      expected: permanent('403', 'Forbidden: bot was blocked by the user'),
    },
    {
      title: 'group migrated to a supergroup',
      arrange: (f) => f.migrateChat(-6002, -1006002),
      params: { chat_id: -6002, text: 'hi' },
      expected: permanent('400', 'Bad Request: group chat was upgraded to a supergroup chat; the group moved to chat id -1006002'),
    },
    {
      title: 'flood control',
      arrange: (f) => f.failNext('429', 1, { retryAfter: 3 }),
      expected: { kind: 'rateLimited', code: '429', retryAfterMs: 3000 },
    },
    {
      title: 'internal error',
      arrange: (f) => f.failNext('500'),
      expected: { kind: 'retryable', code: '500', message: 'Internal Server Error' },
    },
    { title: 'HTML 502 from the front proxy', arrange: (f) => f.failNext('502'), expected: { kind: 'retryable', code: '502' } },
    { title: 'dropped socket', arrange: (f) => f.failNext('drop'), expected: { kind: 'retryable', code: 'network' } },
  ];

  it.each(rows)('$title', async ({ arrange, path = (t) => `/bot${t}/sendMessage`, params, expected }) => {
    arrange?.(fake);
    const body = JSON.stringify(params ?? { chat_id: 1, text: 'hi' });
    const failure = await fetch(`${fake.baseUrl}${path(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(
      async (response) => ({ status: response.status, body: await response.text() }),
      (error: unknown) => ({ error }),
    );
    expect(classifyTelegramFailure(failure)).toMatchObject(expected);
  });

  it('reports a timeout without quoting the request, and without an HTTP status', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const error = classifyTelegramFailure({ error: timeout });
    expect(error).toMatchObject({ kind: 'retryable', code: 'timeout', message: 'Telegram did not answer in time' });
    expect(error.httpStatus).toBeUndefined();
  });
});

describe('Telegram credentials and the ConnectorRegistry', () => {
  it('accepts a BotFather-shaped token and an http base URL without a TLD', async () => {
    const credentials = Object.assign(new TelegramCredentials(), { botToken: token });
    const config = Object.assign(new TelegramConfig(), { baseUrl: fake.baseUrl });
    expect([...(await validate(credentials)), ...(await validate(config))]).toEqual([]);
  });

  it('rejects a malformed token and a base URL without protocol', async () => {
    const [tokenError] = await validate(Object.assign(new TelegramCredentials(), { botToken: 'abc' }));
    expect(tokenError.constraints).toEqual({ matches: 'botToken must look like 123456:ABC-DEF…' });
    const [urlError] = await validate(Object.assign(new TelegramConfig(), { baseUrl: 'api.telegram.org' }));
    expect(urlError.property).toBe('baseUrl');
  });

  it('builds a working TelegramConnector from stored credentials and config', async () => {
    const registry = new ConnectorRegistry();
    const outbound = { allowPrivate: true, allowedHosts: [] };
    const built = registry.create('telegram', { botToken: token }, { baseUrl: fake.baseUrl }, { connectorId: 'c1', outbound });
    expect(built).toBeInstanceOf(TelegramConnector);
    await expect(built.validate()).resolves.toMatchObject({ ok: true });
    expect(registry.credentialsClass('telegram')).toBe(TelegramCredentials);
    expect(registry.configClass('telegram')).toBe(TelegramConfig);
    expect(registry.supportedTypes()).toContain('telegram');
  });

  it('builds connectors that call public addresses only, unless the context allows more', async () => {
    const strict = new ConnectorRegistry().create('telegram', { botToken: token }, { baseUrl: fake.baseUrl }, { connectorId: 'c1' });
    await expect(rejection(strict.validate())).resolves.toMatchObject({
      kind: 'permanent',
      code: 'outbound_address_refused',
      message: "Telegram's address is refused: 127.0.0.1 is a loopback address",
    });
  });

  it('refuses a type it has no factory for', () => {
    const stale = 'fax' as ConnectorType; // e.g. a row written by a newer release
    expect(() => new ConnectorRegistry().create(stale, {}, {}, { connectorId: 'c1' })).toThrow('No connector is available for type fax');
  });
});
