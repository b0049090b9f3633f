import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type * as Sdk from '../packages/sdk/src';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually } from './support/platform';
import { StartedPlatform } from './support/started-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

// Under test: what `require('messagejs')` gives a user, the built CommonJS package (package.json `main`).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- require() is what this suite tests
const { default: messagejs, MessageJS, MessageJSError } = require('../packages/sdk') as typeof Sdk;
type MessageJSError = Sdk.MessageJSError;

const ROOT = path.resolve(__dirname, '..');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEMS = 'https://messagejs.dev/problems';

/** The rejection of `promise`, which must be a MessageJSError. */
async function refusal(promise: Promise<unknown>): Promise<MessageJSError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a MessageJSError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MessageJSError);
  return err as MessageJSError;
}

function runExample(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Async on purpose: the Telegram fake that the platform calls lives in this process.
    execFile(
      process.execPath,
      [script],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 45_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** The SDK's built package (packages/sdk/dist) in Node against the platform started as `npm start` does. */
describe('the SDK in Node', () => {
  let platform: StartedPlatform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let client: Sdk.MessageJS;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await StartedPlatform.start();
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const template = await platform.request('POST', `projects/${tenant.projectId}/templates`, {
      token: tenant.accessToken,
      body: { name: 'welcome', content: 'Welcome, {{name}}' },
    });
    expect(template.status).toBe(201);
    client = new MessageJS({ apiKey: tenant.apiKey, projectId: tenant.projectId, baseUrl: platform.baseUrl });
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  const sentTo = (chatId: string) => telegram.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  const untilSent = (id: string) => eventually(async () => ((await client.get(id)).status === 'sent' ? client.get(id) : null));

  it('init + send with a secret key: the message reaches sent and Telegram gets the text', async () => {
    messagejs.init(tenant.apiKey, tenant.projectId, { baseUrl: platform.baseUrl });

    const accepted = await messagejs.send({ to: '1001', message: 'Hello from the SDK', connector: 'telegram' });

    expect(accepted).toEqual({
      id: expect.stringMatching(UUID),
      status: 'queued',
      connector: { id: tenant.connectorId, type: 'telegram' },
      to: '1001',
      createdAt: expect.any(String),
    });
    const message = await eventually(async () => {
      const m = await messagejs.get(accepted.id);
      return m.status === 'sent' ? m : null;
    });
    expect(message).toMatchObject({ id: accepted.id, projectId: tenant.projectId, to: '1001', error: null, sentAt: expect.any(String) });
    expect(message.events[0].status).toBe('queued');
    expect(message.events[message.events.length - 1].status).toBe('sent');
    expect(sentTo('1001')).toEqual(['Hello from the SDK']);
  });

  it('new MessageJS({...}) sends a template, rendered by the platform', async () => {
    const accepted = await client.send({
      to: '@sdk_news',
      connector: tenant.connectorId!,
      template: { name: 'welcome', variables: { name: 'Ada' } },
    });

    expect(accepted.connector).toEqual({ id: tenant.connectorId, type: 'telegram' });
    await untilSent(accepted.id);
    expect(sentTo('@sdk_news')).toEqual(['Welcome, Ada']);
  });

  it('a client whose projectId is not the key’s project is refused with 401', async () => {
    const wrong = new MessageJS({ apiKey: tenant.apiKey, projectId: randomUUID(), baseUrl: platform.baseUrl });

    const err = await refusal(wrong.send({ to: '1001', message: 'never', connector: 'telegram' }));

    expect(err).toMatchObject({ status: 401, type: `${PROBLEMS}/unauthorized` });
  });

  it('list() pages newest first and listAll() walks every page', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await client.send({ to: '2002', message: `page test ${i}`, connector: 'telegram' })).id);

    const first = await client.list({ to: '2002', limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const pages = [first];
    while (pages[pages.length - 1].nextCursor)
      pages.push(await client.list({ to: '2002', limit: 2, cursor: pages[pages.length - 1].nextCursor! }));
    expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
    const paged = pages.flatMap((p) => p.data);
    expect(new Set(paged.map((m) => m.id))).toEqual(new Set(ids));
    const created = paged.map((m) => Date.parse(m.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    const walked: string[] = [];
    for await (const m of messagejs.listAll({ to: '2002', limit: 2 })) walked.push(m.id);
    expect(walked).toEqual(paged.map((m) => m.id));
  });

  it('a validation error is a MessageJSError with status 422, the problem’s fields and the request id', async () => {
    const err = await refusal(client.send({ to: 'not a chat', message: 'Hi', connector: 'telegram' }));

    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'MessageJSError', status: 422, type: `${PROBLEMS}/validation-error`, title: 'Validation failed' });
    expect(err.errors).toEqual([{ field: 'to', message: expect.any(String) }]);
    expect(err.requestId).toEqual(expect.any(String));
    expect(err.message).toContain('Validation failed');
  });

  it('an unknown message id is a 404 MessageJSError', async () => {
    const err = await refusal(client.get(randomUUID()));

    expect(err).toMatchObject({ status: 404, type: `${PROBLEMS}/not-found` });
    expect(err.requestId).toEqual(expect.any(String));
  });

  it('the same idempotencyKey twice sends one message; with another body it is a 422', async () => {
    const idempotencyKey = `order-${randomUUID()}`;
    const params = { to: '3003', message: 'Your order shipped', connector: 'telegram', idempotencyKey };

    const first = await client.send(params);
    const again = await client.send(params);

    expect(again.id).toBe(first.id);
    await untilSent(first.id);
    const differentBody = await refusal(client.send({ ...params, message: 'Something else' }));
    expect(differentBody.status).toBe(422);
    expect(sentTo('3003')).toEqual(['Your order shipped']);
    expect((await client.list({ to: '3003' })).data.map((m) => m.id)).toEqual([first.id]);
  });

  it('a public key used from Node (no allowed Origin) is refused with 403 and sends nothing', async () => {
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'site', type: 'public', allowedOrigins: ['https://shop.example.com'] },
    });
    expect(key.status).toBe(201);
    const browserKey = new MessageJS({ apiKey: key.body.key, projectId: tenant.projectId, baseUrl: platform.baseUrl });

    const err = await refusal(
      browserKey.send({ to: '4004', connector: 'telegram', template: { name: 'welcome', variables: { name: 'Eve' } } }),
    );

    expect(err).toMatchObject({ status: 403, type: `${PROBLEMS}/forbidden` });
    expect((await client.list({ to: '4004' })).data).toEqual([]);
  });

  describe('examples/node/send.mjs (the ESM build)', () => {
    const exampleEnv = () => ({
      MESSAGEJS_URL: platform.baseUrl,
      MESSAGEJS_KEY: tenant.apiKey,
      MESSAGEJS_PROJECT: tenant.projectId,
      MESSAGEJS_CONNECTOR: 'telegram',
      MESSAGEJS_WAIT_S: '30',
    });

    it('sends, follows the status to sent and exits 0', async () => {
      const text = `Example run ${randomUUID()}`;

      const run = await runExample('examples/node/send.mjs', { ...exampleEnv(), MESSAGEJS_TO: '5005', MESSAGEJS_MESSAGE: text });

      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trim().split('\n');
      const accepted = /^accepted (\S+) via telegram connector (\S+)$/.exec(lines[0]);
      expect(accepted).not.toBeNull();
      expect(accepted![2]).toBe(tenant.connectorId);
      expect(lines[1]).toBe('status queued');
      expect(lines[lines.length - 1]).toBe('final sent');
      expect(sentTo('5005')).toEqual([text]);
      expect((await client.get(accepted![1])).status).toBe('sent');
    });

    it('prints the problem and exits 1 when the API refuses the request', async () => {
      const run = await runExample('examples/node/send.mjs', { ...exampleEnv(), MESSAGEJS_TO: 'not a chat' });

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^error 422 ${PROBLEMS}/validation-error: Validation failed.* \\(request \\S+\\)\\n  to: `));
    });
  });
});
