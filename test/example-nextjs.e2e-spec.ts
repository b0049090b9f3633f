import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually, freePort } from './support/platform';
import { StartedPlatform } from './support/started-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'examples', 'nextjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OWNER_CHAT = '9191';

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { cwd: APP, env: { ...env, PATH: process.env.PATH ?? '' }, timeout: 240_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`)) : resolve(),
    ),
  );
}

/**
 * examples/nextjs built and served (`next build`, `next start`) against the platform started as
 * `npm start` does, and used in Chromium: the contact form sends from the browser with a public key,
 * the order form through a server action with the secret key.
 */
describe('examples/nextjs', () => {
  let platform: StartedPlatform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let appUrl: string;

  beforeAll(async () => {
    // The example has its own package and lock; a fresh clone installs them here, once.
    if (!existsSync(path.join(APP, 'node_modules', 'next')))
      await run('npm', ['ci', '--no-audit', '--no-fund'], { HOME: process.env.HOME ?? '' });
    telegram = await TelegramFake.start();
    platform = await StartedPlatform.start({ env: { CONNECTOR_ALLOW_PRIVATE: 'true' } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    const template = await platform.request('POST', `projects/${tenant.projectId}/templates`, {
      token: tenant.accessToken,
      body: { name: 'contact', content: 'New message from {{name}}: {{message}}' },
    });
    expect(template.status).toBe(201);
    const key = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
      token: tenant.accessToken,
      body: { name: 'next.js site', type: 'public', allowedOrigins: [appUrl] },
    });
    expect(key.status).toBe(201);

    const env = {
      HOME: process.env.HOME ?? '',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_PUBLIC_MESSAGEJS_URL: platform.baseUrl,
      NEXT_PUBLIC_MESSAGEJS_PUBLIC_KEY: key.body.key,
      NEXT_PUBLIC_MESSAGEJS_PROJECT: tenant.projectId,
      NEXT_PUBLIC_MESSAGEJS_TO: OWNER_CHAT,
      MESSAGEJS_URL: platform.baseUrl,
      MESSAGEJS_SECRET_KEY: tenant.apiKey,
      MESSAGEJS_PROJECT: tenant.projectId,
    };
    await run(process.execPath, [path.join(APP, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], env);
    server = spawn(
      process.execPath,
      [path.join(APP, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
      {
        cwd: APP,
        env: { ...env, PATH: process.env.PATH ?? '' },
        stdio: 'ignore',
      },
    );
    await eventually(async () => (await fetch(appUrl).catch(() => null))?.ok, 30_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await platform?.stop();
    await telegram?.close();
  });

  async function openApp(): Promise<Page> {
    const page = await browser!.newPage();
    await page.goto(appUrl);
    return page;
  }

  it('the contact form sends the template from the browser with the public key', async () => {
    const page = await openApp();
    const keysSent: string[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith(platform.baseUrl) && req.method() === 'POST') keysSent.push(req.headers()['authorization'] ?? '');
    });

    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Message').fill('Do you ship to Lisbon?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    await page.locator('#contact-result[data-state="sent"]').waitFor();
    const id = /Message (\S+) is on its way/.exec((await page.locator('#contact-result').textContent()) ?? '')?.[1];
    expect(id).toBeDefined();
    // The call left the browser, with the public key; the secret key never did.
    expect(keysSent).toEqual([expect.stringMatching(/^Bearer mjs_pk_/)]);
    await eventually(async () =>
      telegram.sent.some((s) => s.chatId === OWNER_CHAT && s.text === 'New message from Ada: Do you ship to Lisbon?'),
    );
    const message = await platform.request('GET', `messages/${id}`, { token: tenant.apiKey });
    expect(message.body).toMatchObject({ id, to: OWNER_CHAT });
    await page.close();
  });

  it('the order form sends free text through the server action, with the secret key kept on the server', async () => {
    const page = await openApp();
    const fromBrowser: string[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith(platform.baseUrl)) fromBrowser.push(req.url());
    });

    await page.getByLabel('To').fill('9292');
    await page.getByLabel('Text').fill('Your order shipped');
    await page.getByRole('button', { name: 'Send update' }).click();

    await page.locator('#update-result[data-state="sent"]').waitFor();
    expect(await page.locator('#update-result').textContent()).toMatch(/^Accepted \S+ \(queued\)$/);
    // The browser only talked to the Next.js server; the send happened there.
    expect(fromBrowser).toEqual([]);
    expect(await page.content()).not.toContain(tenant.apiKey);
    await eventually(async () => telegram.sent.some((s) => s.chatId === '9292' && s.text === 'Your order shipped'));
    await page.close();
  });
});
