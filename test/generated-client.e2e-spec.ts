import { execFile, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');

/**
 * Compiled with the generated client under strict TypeScript, then bundled as the module the suite
 * loads: API.md's contract, said in the generated types. A wrong schema fails to compile here.
 */
const CONTRACT = `
export * from './client';
export { createClient, createConfig } from './client/client';
import type { AnalyticsDto, ApiKeyDto, ConnectorDto, MessagePageDto, MessageWithEventsDto, ProblemDto, SendMessageDto, SendMessageError, TemplateDto, UpdateProjectDto, WebhookDeliveryDto } from './client';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Null until it happens, never absent.
export const unsent: Pick<MessageWithEventsDto, 'externalId' | 'error' | 'sentAt' | 'deliveredAt'> = { externalId: null, error: null, sentAt: null, deliveredAt: null };
export const lastPage: MessagePageDto['nextCursor'] = null;
export const anyChannel: TemplateDto['channel'] = null;
// Timestamps are strings and limits numbers (a DTO property typed as a union is reflected as Object).
export const revokedKey: Pick<ApiKeyDto, 'lastUsedAt' | 'revokedAt' | 'dailyLimit'> = { lastUsedAt: null, revokedAt: '2025-01-01T00:00:00.000Z', dailyLimit: null };
export const limits: UpdateProjectDto[] = [{ rateLimitPerSecond: 50 }, { rateLimitPerSecond: null }];
// Exactly the statuses of API.md: a missing or an extra one does not compile.
export const statuses: Record<MessageWithEventsDto['status'], true> = { queued: true, sending: true, sent: true, delivered: true, read: true, failed: true };
// Every failure of a send is an RFC 9457 problem.
export const sendFailsWithProblem: Same<SendMessageError, ProblemDto> = true;
// The dashboard's reads: provider outcomes, callback URLs, analytics with nullable rates, test deliveries about no message.
export const outcome: MessageWithEventsDto['events'][number]['provider'] = { httpStatus: 400, code: '400', message: 'Bad Request' };
export const noCallback: ConnectorDto['callbackUrl'] = null;
export const quiet: AnalyticsDto['connectors'][number]['successRate'] = null;
export const intervals: Record<AnalyticsDto['interval'], true> = { hour: true, day: true };
export const testEvent: Pick<WebhookDeliveryDto, 'messageId' | 'eventType'> = { messageId: null, eventType: 'webhook.test' };
// @ts-expect-error a misspelt field does not compile, as it is a 422 at run time
export const typo: SendMessageDto = { to: '1', connector: 'telegram', mesage: 'Hello' };
`;

/** What the suite calls in the bundled client; the types it really has are checked by tsc above. */
interface Scheme {
  key?: string;
}
interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}
type Call<T> = (options: { client: unknown; body?: unknown; path?: Record<string, string> }) => Promise<CallResult<T>>;
interface GeneratedClient {
  createClient(config: unknown): unknown;
  createConfig(config: { baseUrl: string; auth: (scheme: Scheme) => string | undefined }): unknown;
  sendMessage: Call<{ id: string; status: string; connector: { id: string; type: string } }>;
  getMessage: Call<{ id: string; status: string; to: string; sentAt: string | null; events: Array<{ status: string }> }>;
  createTemplate: Call<{ id: string; name: string; variables: string[] }>;
}

/** @hey-api/openapi-ts is ESM only and jest runs CommonJS: generate in a plain node process. */
function generate(input: string, output: string): void {
  const script = `import('@hey-api/openapi-ts').then(({ createClient }) => createClient({
    input: process.argv[1],
    output: { path: process.argv[2] },
    plugins: ['@hey-api/typescript', '@hey-api/sdk', '@hey-api/client-fetch'],
    logs: { file: false, level: 'warn' },
  })).catch((err) => { console.error(err); process.exit(1); })`;
  const run = spawnSync(process.execPath, ['-e', script, input, output], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 || run.stderr.trim()) throw new Error(`openapi-ts failed (${run.status}):\n${run.stderr}${run.stdout}`);
}

/**
 * Strict TypeScript over `entry`, in a child process: compiling in this one would block its event loop
 * for seconds, long enough for the gateway to close the suite's idle keep-alive sockets unnoticed, and
 * the next request would be sent on a closed one.
 */
async function typeErrors(entry: string): Promise<string> {
  const script = `const ts = require('typescript');
    const options = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'], types: [] };
    const host = ts.createCompilerHost(options);
    process.stdout.write(ts.formatDiagnostics(ts.getPreEmitDiagnostics(ts.createProgram([process.argv[1]], options, host)), host));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, entry], { cwd: ROOT, encoding: 'utf8' });
  return stdout;
}

/** A client generated from the running gateway's /openapi.json, used as any customer would use it. */
describe('a client generated from the OpenAPI document', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let dir: string;
  let sdk: GeneratedClient;
  let apiKeyClient: unknown;
  let dashboardClient: unknown;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start();
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    dir = mkdtempSync(path.join(tmpdir(), 'mjs-generated-client-'));
    generate(`${platform.baseUrl}/openapi.json`, path.join(dir, 'client'));
    writeFileSync(path.join(dir, 'contract.ts'), CONTRACT);
    const bundle = path.join(dir, 'client.cjs');
    buildSync({
      entryPoints: [path.join(dir, 'contract.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the CommonJS bundle esbuild just wrote
    sdk = require(bundle) as GeneratedClient;
    // Both schemes are HTTP bearer; the generated SDK tells them apart by the scheme's name.
    const clientWith = (scheme: string, token: string) =>
      sdk.createClient(sdk.createConfig({ baseUrl: platform.baseUrl, auth: (s) => (s.key === scheme ? token : undefined) }));
    apiKeyClient = clientWith('apiKey', tenant.apiKey);
    dashboardClient = clientWith('jwt', tenant.accessToken);
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles under strict TypeScript, and its types say what API.md says', async () => {
    expect(await typeErrors(path.join(dir, 'contract.ts'))).toBe('');
  });

  it('sends a message with an API key and reads it back until it is sent', async () => {
    const chatId = String(randomInt(100_000, 999_999));
    const sent = await sdk.sendMessage({
      client: apiKeyClient,
      body: { to: chatId, message: 'Hello from a generated client', connector: 'telegram' },
    });
    expect(sent.error).toBeUndefined();
    expect(sent.response.status).toBe(202);
    expect(sent.data).toMatchObject({ status: 'queued', connector: { id: tenant.connectorId, type: 'telegram' } });

    const id = sent.data!.id;
    const message = await eventually(async () => {
      const read = await sdk.getMessage({ client: apiKeyClient, path: { messageId: id } });
      return read.data?.status === 'sent' ? read.data : undefined;
    });
    expect(message).toMatchObject({ id, to: chatId, sentAt: expect.any(String) });
    expect(message.events.map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'sent']));
    expect(telegram.sent.filter((s) => s.chatId === chatId).map((s) => s.text)).toEqual(['Hello from a generated client']);
  });

  it('returns a refused body as its error: the RFC 9457 problem naming the field', async () => {
    const before = telegram.sent.length;
    const refused = await sdk.sendMessage({
      client: apiKeyClient,
      body: { to: '4242', message: 'Hello', connector: 'telegram', priority: 'high' },
    });
    expect(refused.data).toBeUndefined();
    expect(refused.response.status).toBe(422);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.error).toMatchObject({
      type: 'https://messagejs.dev/problems/validation-error',
      status: 422,
      errors: [expect.objectContaining({ field: 'priority' })],
    });
    expect(telegram.sent.length).toBe(before);
  });

  it('manages templates with the dashboard token, and an API key sends one', async () => {
    const created = await sdk.createTemplate({
      client: dashboardClient,
      path: { projectId: tenant.projectId },
      body: { name: 'greeting', content: 'Hi {{name}}, from the generated client' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'greeting', variables: ['name'] });
    // Each client carries only its own scheme's token: the other scheme's routes refuse it.
    const wrongScheme = await sdk.createTemplate({
      client: apiKeyClient,
      path: { projectId: tenant.projectId },
      body: { name: 'other', content: 'x' },
    });
    expect(wrongScheme.response.status).toBe(401);

    const chatId = String(randomInt(100_000, 999_999));
    const template = { name: 'greeting', variables: { name: 'Ada' } };
    const sent = await sdk.sendMessage({ client: apiKeyClient, body: { to: chatId, template, connector: 'telegram' } });
    expect(sent.response.status).toBe(202);
    await eventually(async () => telegram.sent.some((s) => s.chatId === chatId && s.text === 'Hi Ada, from the generated client'));
  });
});
