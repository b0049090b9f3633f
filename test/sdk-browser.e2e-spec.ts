import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually } from './support/platform';
import { StartedPlatform } from './support/started-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');
const PROBLEMS = 'https://messagejs.dev/problems';
// Debian's chromium (apt-get install chromium); .ci/run installs it when it is missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** examples/browser/serve.mjs on a free port; `port` resolves once it listens. */
function serveExample(): { server: ChildProcess; port: Promise<number> } {
  const server = spawn(process.execPath, [path.join(ROOT, 'examples/browser/serve.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /browser example at http:\/\/localhost:(\d+)\//.exec(output);
      if (listening) resolve(Number(listening[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`serve.mjs exited (${code}):\n${output}`)));
  });
  return { server, port };
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

interface NetworkAnswer {
  status: number;
  headers: Record<string, string>;
  /** Set when the browser withheld the answer from the page, e.g. `MissingAllowOriginHeader`. */
  corsError?: string;
}

/** What the page's global `messagejs` reports for a call, as plain data. */
interface PageOutcome {
  ok: boolean;
  id?: string;
  isMessageJSError?: boolean;
  status?: number;
  type?: string;
  detail?: string;
  requestId?: string;
}

/**
 * The SDK's <script> bundle in headless Chromium, on the example page (examples/browser) served from
 * another origin than the gateway — so every call is a real cross-origin request with a CORS preflight,
 * against the platform started as `npm start` does.
 */
describe('the SDK in a browser page', () => {
  let platform: StartedPlatform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let publicKey: string;
  /** The origin the public key lists, and the same page under an origin it does not. */
  let pageOrigin: string;
  let otherOrigin: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    const example = serveExample();
    server = example.server;
    telegram = await TelegramFake.start();
    platform = await StartedPlatform.start();
    const port = await example.port;
    pageOrigin = `http://127.0.0.1:${port}`;
    otherOrigin = `http://localhost:${port}`;

    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'example page', type: 'public', allowedOrigins: [pageOrigin] },
    });
    expect(key.status).toBe(201);
    publicKey = key.body.key;
    const template = await platform.request('POST', `projects/${tenant.projectId}/templates`, {
      token: tenant.accessToken,
      body: { name: 'greeting', content: 'Hello {{name}}' },
    });
    expect(template.status).toBe(201);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-extensions',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    await platform?.stop();
    await telegram?.close();
  });

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });

  /** The example page on `origin`, driven only through its query string, as its README says. */
  async function openExample(origin: string, form: { to: string; name: string }): Promise<Page> {
    const page = await browser!.newPage();
    pages.push(page);
    const query = new URLSearchParams({
      key: publicKey,
      project: tenant.projectId,
      baseUrl: platform.baseUrl,
      to: form.to,
      connector: 'telegram',
      template: 'greeting',
      variables: JSON.stringify({ name: form.name }),
    });
    await page.goto(`${origin}/?${query}`);
    return page;
  }

  /** Clicks #send and waits for the page to show an outcome. */
  async function submit(page: Page): Promise<{ state: string | null; messageId?: string; status?: string; text: string }> {
    await page.click('#send');
    const result = await page.waitForSelector('#result[data-state="ok"], #result[data-state="error"]');
    return {
      state: await result.getAttribute('data-state'),
      messageId: (await result.getAttribute('data-message-id')) ?? undefined,
      status: (await result.getAttribute('data-status')) ?? undefined,
      text: (await result.textContent()) ?? '',
    };
  }

  /**
   * What Chromium's network layer saw for `method` calls to /api/v1/messages from `page`: each answer's
   * status and headers, and why the browser withheld it from the page (a CORS error), if it did. Read
   * through the DevTools protocol, because answers blocked by CORS never reach Playwright's events.
   * The returned function waits until every such call has finished loading or failed.
   */
  async function watchNetwork(page: Page, method: string): Promise<() => Promise<NetworkAnswer[]>> {
    const calls = new Set<string>();
    const seen = new Map<string, NetworkAnswer & { settled: boolean }>();
    const entry = (id: string) => seen.get(id) ?? seen.set(id, { status: 0, headers: {}, settled: false }).get(id)!;
    const cdp = await page.context().newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.method === method && e.request.url === `${platform.baseUrl}/api/v1/messages`) calls.add(e.requestId);
    });
    // The raw answer, sent even when CORS then hides it from the page.
    cdp.on('Network.responseReceivedExtraInfo', (e) => {
      Object.assign(entry(e.requestId), {
        status: e.statusCode,
        headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
      });
    });
    cdp.on('Network.loadingFinished', (e) => {
      entry(e.requestId).settled = true;
    });
    cdp.on('Network.loadingFailed', (e) => {
      Object.assign(entry(e.requestId), { settled: true, corsError: e.corsErrorStatus?.corsError });
    });
    await cdp.send('Network.enable');
    return async () => {
      await eventually(async () => [...calls].every((id) => seen.get(id)?.settled && seen.get(id)?.status), 5_000);
      return [...calls].map((id) => {
        const { settled: _settled, ...answer } = seen.get(id)!;
        return answer;
      });
    };
  }

  const messagesTo = async (chatId: string) =>
    (await platform.request('GET', `messages?to=${encodeURIComponent(chatId)}`, { token: tenant.apiKey })).body.data as {
      id: string;
      status: string;
    }[];

  it('sends a template from the example page with a public key; Telegram gets the rendered text', async () => {
    const name = `Ada ${randomBytes(3).toString('hex')}`;
    const page = await openExample(pageOrigin, { to: '6006', name });

    const result = await submit(page);

    expect(result).toMatchObject({ state: 'ok', messageId: expect.any(String) });
    await eventually(async () => telegram.sent.some((s) => s.chatId === '6006' && s.text === `Hello ${name}`));
    // Checked server-side with the secret key: the page's message id is a real message, and it was sent.
    const message = await eventually(async () => {
      const res = await platform.request('GET', `messages/${result.messageId}`, { token: tenant.apiKey });
      return res.body.status === 'sent' ? res.body : null;
    });
    expect(message).toMatchObject({ id: result.messageId, to: '6006', connector: { id: tenant.connectorId, type: 'telegram' } });
  });

  it('refuses free text from the page with a 403 the page can read (and sends nothing)', async () => {
    const page = await openExample(pageOrigin, { to: '7007', name: 'unused' });
    const answers = await watchNetwork(page, 'POST');

    const outcome = await page.evaluate(async (): Promise<PageOutcome> => {
      const sdk = (window as any).messagejs;
      try {
        const accepted = await sdk.send({ to: '7007', message: 'free text', connector: 'telegram' });
        return { ok: true, id: accepted.id };
      } catch (err: any) {
        return {
          ok: false,
          isMessageJSError: err instanceof sdk.MessageJSError,
          status: err.status,
          type: err.type,
          detail: err.detail,
          requestId: err.requestId,
        };
      }
    });

    expect(outcome).toMatchObject({
      ok: false,
      isMessageJSError: true,
      status: 403,
      type: `${PROBLEMS}/forbidden`,
      detail: expect.stringMatching(/template/),
    });
    // X-Request-Id is exposed to the page, so a support request can quote it.
    expect(outcome.requestId).toEqual(expect.any(String));
    expect(await answers()).toEqual([{ status: 403, headers: expect.objectContaining({ 'access-control-allow-origin': pageOrigin }) }]);
    expect(await messagesTo('7007')).toEqual([]);
  });

  it('the same page on an origin the key does not list cannot send', async () => {
    const page = await openExample(otherOrigin, { to: '8008', name: 'Mallory' });
    const answers = await watchNetwork(page, 'POST');

    const result = await submit(page);

    // The gateway refuses, without CORS headers: the browser hides the answer, the SDK sees no response.
    expect(result).toMatchObject({ state: 'error', status: '0' });
    expect(result.text).toContain(`${PROBLEMS}/network-error`);
    // Every attempt (the SDK retries what looks like a network error) got a 403 that the browser withheld.
    const seen = await answers();
    expect(seen.length).toBeGreaterThan(0);
    for (const answer of seen) {
      expect(answer).toMatchObject({ status: 403, corsError: 'MissingAllowOriginHeader' });
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(await messagesTo('8008')).toEqual([]);
    expect(telegram.sent.filter((s) => s.chatId === '8008')).toEqual([]);
  });

  it('a page cannot read an answer given to a secret key (no CORS headers)', async () => {
    const page = await openExample(pageOrigin, { to: '9009', name: 'unused' });
    const answers = await watchNetwork(page, 'GET');

    const read = await page.evaluate(
      async ({ baseUrl, secretKey }) => {
        try {
          const res = await fetch(`${baseUrl}/api/v1/messages`, { headers: { Authorization: `Bearer ${secretKey}` } });
          return `read ${res.status}`;
        } catch (err) {
          return `blocked: ${(err as Error).name}`;
        }
      },
      { baseUrl: platform.baseUrl, secretKey: tenant.apiKey },
    );

    expect(read).toBe('blocked: TypeError');
    // The gateway did answer the secret key, without CORS headers, so the browser withheld the answer.
    expect(await answers()).toEqual([
      {
        status: 200,
        headers: expect.not.objectContaining({ 'access-control-allow-origin': expect.anything() }),
        corsError: 'MissingAllowOriginHeader',
      },
    ]);
  });
});
