import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { SmtpFake } from '../fakes/smtp.fake';
import { TelegramFake } from '../fakes/telegram.fake';
import { TwilioFake } from '../fakes/twilio.fake';
import { WhatsAppFake } from '../fakes/whatsapp.fake';
import { eventually, Platform } from '../support/platform';
import { Receiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-results', 'dashboard');
// Debian's chromium (apt-get install chromium).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Generous: the machine is shared and every step is a real round trip through five apps. */
const UI_TIMEOUT = 20_000;

/** Waits until the element's text contains (or, `exact`, equals) `expected`. */
async function hasText(locator: Locator, expected: string | RegExp, exact = false): Promise<void> {
  await eventually(async () => {
    const text = ((await locator.textContent({ timeout: 1_000 })) ?? '').trim();
    if (typeof expected !== 'string') return expected.test(text);
    return exact ? text === expected : text.includes(expected);
  }, UI_TIMEOUT);
}

async function hasValue(locator: Locator, expected: string): Promise<void> {
  await eventually(async () => (await locator.inputValue({ timeout: 1_000 })) === expected, UI_TIMEOUT);
}

/** `2026-11-30T09:15`, as <input type="datetime-local"> takes it (the browser runs in this process's time zone). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The dashboard as a new user meets it: the built app served by the gateway at /, in headless Chromium,
 * against the real platform with a fake Telegram. Elements are found by role and label only; every
 * screen is checked with axe (no serious or critical violations) and saved as a screenshot.
 */
describe('the dashboard in a browser', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let whatsapp: WhatsAppFake;
  let twilio: TwilioFake;
  let smtp: SmtpFake;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  const email = `dash-${Date.now()}@example.com`;
  let password = 'first password 123';
  let botToken: string;
  let apiKey: string;
  let projectUrl: string;

  async function check(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  /**
   * Adds a connector from the Connectors page with the fields given (by label), verifies it with the
   * provider, and checks what its page says about delivery receipts.
   */
  async function addConnector(title: string, name: string, fields: Record<string, string>, receipts: RegExp, shot: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Connectors' }).click();
    await page.getByRole('link', { name: `Add ${title}` }).click();
    const form = page.getByRole('form', { name: `Add ${title}` });
    await form.getByLabel('Connector name').fill(name);
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
    await check(`${shot}-new`);
    await form.getByRole('button', { name: 'Add connector' }).click();
    await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Verify credentials' }).click();
    await page.getByText(/The provider accepted the credentials/).waitFor();
    await page.getByText(receipts).waitFor();
    await check(shot);
  }

  const send = (to: string, message: string) =>
    platform.request('POST', 'messages', { token: apiKey, body: { to, message, connector: 'telegram' } });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [telegram, receiver, whatsapp, twilio, smtp] = await Promise.all([
      TelegramFake.start(),
      Receiver.start(),
      WhatsAppFake.start(),
      TwilioFake.start(),
      SmtpFake.start({ username: 'mailer', password: 'smtp-secret-pw' }),
    ]);
    botToken = telegram.addToken();
    platform = await Platform.start({
      env: { CONNECTOR_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', SEND_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '100' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    context = await browser.newContext({ baseURL: platform.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await Promise.all([telegram?.close(), receiver?.close(), whatsapp?.close(), twilio?.close(), smtp?.close()]);
  });

  it('signs a new user up from the login page', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await check('login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await check('signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/projects$/);
    await page.getByText('No projects yet').waitFor();
    await check('projects-empty');
  });

  it('creates a project', async () => {
    await page.getByLabel('Project name').fill('Shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}\/connectors$/);
    projectUrl = page.url().replace(/\/connectors$/, '');
    await page.getByText('No connectors yet').waitFor();
    await check('connectors-empty');
  });

  it('adds a Telegram connector, shows the provider’s reason when verification fails, and verifies it once fixed', async () => {
    await page.getByRole('link', { name: 'Add Telegram bot' }).click();
    await page.getByLabel('Connector name').fill('Support bot');
    await page.getByLabel('Bot token').fill('123456:not-a-token-the-fake-knows');
    await page.getByLabel('API base URL (optional)').fill(telegram.baseUrl);
    await page.getByText('message @BotFather').waitFor();
    await check('connector-new');
    await page.getByRole('button', { name: 'Add connector' }).click();
    await page.waitForURL(/\/connectors\/[0-9a-f-]{36}$/);

    await page.getByRole('button', { name: 'Verify credentials' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Unauthorized|401|token/i })
      .waitFor();

    const settings = page.getByRole('form', { name: 'Connector settings' });
    await settings.getByLabel('Bot token').fill(botToken);
    await settings.getByRole('button', { name: 'Save connector' }).click();
    await settings.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Verify credentials' }).click();
    await page.getByText(/The provider accepted the credentials/).waitFor();
    await page.getByText('sends no delivery receipts').waitFor();
    await check('connector');
  });

  it('adds a WhatsApp connector and verifies it; receipts need PUBLIC_URL, which says so', async () => {
    const number = whatsapp.addPhoneNumber();
    await addConnector(
      'WhatsApp Cloud API',
      'WhatsApp line',
      { 'Access token': number.accessToken, 'Phone number ID': number.phoneNumberId, 'API base URL (optional)': whatsapp.baseUrl },
      /has no PUBLIC_URL/,
      'connector-whatsapp',
    );
  });

  it('adds a Twilio connector and verifies it', async () => {
    const account = twilio.addAccount();
    await addConnector(
      'Twilio SMS',
      'SMS',
      {
        'Account SID': account.accountSid,
        'Auth token': account.authToken,
        'From number or sender ID': '+14155550100',
        'API base URL (optional)': twilio.baseUrl,
      },
      /has no PUBLIC_URL/,
      'connector-twilio',
    );
  });

  it('adds an SMTP connector and verifies it by logging in to the server', async () => {
    await addConnector(
      'Email (SMTP)',
      'Mail',
      {
        'SMTP host': '127.0.0.1',
        Port: String(smtp.port),
        Username: 'mailer',
        Password: 'smtp-secret-pw',
        From: 'Shop <shop@example.com>',
      },
      /sends no delivery receipts/,
      'connector-smtp',
    );
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Connectors' }).click();
    for (const name of ['Support bot', 'WhatsApp line', 'SMS', 'Mail']) await page.getByRole('link', { name, exact: true }).waitFor();
  });

  it('creates a secret key, shows it once with a snippet that has it filled in', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByText('No API keys yet').waitFor();
    await page.getByLabel('Key name').fill('server');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('region', { name: 'API key server' });
    await shown.waitFor();
    apiKey = (await shown.locator('code').textContent())!;
    expect(apiKey).toMatch(/^mjs_sk_/);
    await hasText(page.getByLabel('curl snippet'), `Authorization: Bearer ${apiKey}`);
    await page.getByRole('button', { name: 'Node SDK' }).click();
    await hasText(page.getByLabel('SDK snippet'), apiKey);
    await hasText(page.getByRole('row', { name: /server/ }), 'never');
    await check('keys');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'hidden' });
  });

  it('edits a public key’s origins and daily cap, showing the API’s refusal beside the field', async () => {
    const create = page.getByRole('form', { name: 'New API key' });
    await create.getByLabel('Key name').fill('shop');
    await create.getByLabel('Key type').selectOption('public');
    await create.getByLabel('Allowed origins').fill('https://shop.example.com');
    await create.getByLabel('Daily cap').fill('500');
    await create.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('region', { name: 'API key shop' }).waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.getByRole('row', { name: /shop/ });
    await hasText(row, '500 / day');

    await row.getByRole('button', { name: 'Edit shop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit key shop' });
    await dialog.waitFor();
    const origins = dialog.getByLabel('Allowed origins');
    const cap = dialog.getByLabel('Daily cap');
    await hasValue(origins, 'https://shop.example.com');
    await hasValue(cap, '500');
    // The browser's own check first: not an origin.
    await origins.fill('https://shop.example.com\nadmin.example.com');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await dialog.getByText('“admin.example.com” is not an origin').waitFor();
    // Then the API's: 422 with the field named, shown under that field.
    await origins.fill('https://shop.example.com\nhttps://admin.example.com');
    await cap.fill('2000000');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await hasText(dialog.getByRole('alert'), 'Not saved: one field needs a change.');
    await dialog.getByText('must not be greater than 1000000').waitFor();
    expect(await cap.getAttribute('aria-invalid')).toBe('true');
    await check('key-edit-refused');
    await cap.fill('2500');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await hasText(row, 'https://shop.example.com, https://admin.example.com');
    await hasText(row, '2500 / day');
    await check('keys-edited');
  });

  it('sends a test message from the connector, which appears in the log, reaches sent, and opens on its timeline', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Connectors' }).click();
    await page.getByRole('link', { name: 'Support bot' }).click();
    const form = page.getByRole('form', { name: 'Send a test message' });
    await form.getByLabel('Recipient').fill('4242');
    await form.getByRole('button', { name: 'Send test message' }).click();
    await form.getByText(/Accepted/).waitFor();
    await telegram.waitForSent(1, UI_TIMEOUT);

    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Messages' }).click();
    const row = page.getByRole('row', { name: /4242/ });
    await hasText(row, 'sent');
    await check('messages');

    // A message sent elsewhere (here with the API key) shows up without a reload.
    expect((await send('777', 'from the API')).status).toBe(202);
    await hasText(page.getByRole('row', { name: /777/ }), 'sent');

    await row.getByRole('link').click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await hasText(timeline.getByRole('listitem').last(), 'sent');
    await page.getByRole('heading', { name: 'Message to 4242' }).waitFor();
    await check('message');
  });

  it('keeps the log filters in the URL', async () => {
    await page.goto(`${projectUrl}/messages?status=failed`);
    await hasValue(page.getByLabel('Status'), 'failed');
    await page.getByText('No messages match these filters').waitFor();
    await page.getByLabel('Status').selectOption('sent');
    await page.waitForURL(/status=sent/);
    await page.getByRole('row', { name: /4242/ }).waitFor();
  });

  it('retries a failed message from its page', async () => {
    telegram.failNext('500', 3);
    const accepted = await send('5151', 'fails three times');
    expect(accepted.status).toBe(202);
    await page.goto(`${projectUrl}/messages/${accepted.body.id}`);
    const retry = page.getByRole('button', { name: 'Retry' });
    await retry.waitFor();
    await hasText(page.getByRole('alert'), '500');
    await page
      .getByText(/Provider: HTTP 500/)
      .first()
      .waitFor();
    await check('message-failed');
    await retry.click();
    await retry.waitFor({ state: 'hidden' });
    await hasText(page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').last(), 'sent');
    expect(telegram.sent.filter((s) => s.text === 'fails three times')).toHaveLength(1);
  });

  it('adds a webhook endpoint (secret shown once), sends it a test event, and replays the delivery', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText('No webhook endpoints yet').waitFor();
    await page.getByLabel('Endpoint URL').fill(receiver.url('/dashboard'));
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await hasText(page.getByRole('region', { name: 'Signing secret' }).locator('code'), /^whsec_/, true);
    await check('webhooks');
    await page.getByRole('link', { name: 'Open the new endpoint to send a test event' }).click();
    await page.getByRole('button', { name: 'Send test event' }).click();
    await eventually(async () => receiver.at('/dashboard', undefined, 'webhook.test')[0]);
    const delivery = page.getByRole('row', { name: /webhook\.test/ }).first();
    await hasText(delivery, 'succeeded');
    await hasText(delivery, '200');
    await check('webhook');
    await delivery.getByRole('button', { name: /^Replay/ }).click();
    await eventually(async () => receiver.at('/dashboard', undefined, 'webhook.test')[1]);
    await page.getByRole('row', { name: /replay 1/ }).waitFor();
  });

  it('shows the messages sent in analytics', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Analytics' }).click();
    const row = page.getByRole('row', { name: /Support bot/ });
    await row.waitFor();
    // Three messages reached sent (4242, 777, and the retried one); one error code (500) was seen.
    await hasText(row.getByRole('cell').nth(1), '3', true);
    await hasText(page.getByRole('table', { name: 'Most frequent error codes' }), '500');
    await check('analytics');
    await page.getByLabel('Time range').selectOption('7d');
    await page.waitForURL(/range=7d/);
    await hasValue(page.getByRole('combobox', { name: 'Interval' }), 'day');
  });

  it('shows analytics for a custom range, checked before it is sent and kept in the URL across a reload', async () => {
    await page.getByLabel('Time range').selectOption('custom');
    const form = page.getByRole('form', { name: 'Custom range' });
    const hour = 3_600_000;
    const sentBySupportBot = () =>
      page
        .getByRole('row', { name: /Support bot/ })
        .getByRole('cell')
        .nth(1);
    await form.getByLabel('From').fill(localInput(Date.now() + hour));
    await form.getByLabel('Until').fill(localInput(Date.now() - hour));
    await form.getByRole('button', { name: 'Apply range' }).click();
    await form.getByText('must be before to').waitFor();
    await check('analytics-custom-refused');

    const from = localInput(Date.now() - 6 * hour);
    await form.getByLabel('From').fill(from);
    await form.getByLabel('Until').fill(localInput(Date.now() + hour));
    await form.getByRole('button', { name: 'Apply range' }).click();
    await page.waitForURL(/range=custom/);
    expect(new URL(page.url()).searchParams.get('interval')).toBe('hour');
    await hasText(sentBySupportBot(), '3', true);
    await check('analytics-custom');

    await page.reload();
    await hasValue(page.getByLabel('Time range'), 'custom');
    await hasValue(page.getByRole('form', { name: 'Custom range' }).getByLabel('From'), from);
    await hasText(sentBySupportBot(), '3', true);
  });

  it('edits a template with live variables and a rendered preview', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByText('No templates yet').waitFor();
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('welcome');
    await page.getByRole('textbox', { name: 'Content' }).fill('Hello {{name}}, your code is {{code}}');
    await page.getByLabel('Sample value for name').fill('Ada');
    await page.getByLabel('Sample value for code').fill('1234');
    await hasText(page.getByRole('status', { name: 'Preview' }), 'Hello Ada, your code is 1234', true);
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    await check('template');
    await page.getByRole('link', { name: '← Templates' }).click();
    await page.getByRole('link', { name: 'welcome' }).waitFor();
    await check('templates');
  });

  it('renames the project and asks before deleting it', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Project name').fill('Shop (EU)');
    await page.getByLabel('Rate limit (requests per second per API key)').fill('50');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Delete project' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Shop (EU)?' });
    await dialog.waitFor();
    await check('settings-delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Cancelled: the project is still there, under its new name.
    await hasText(page.getByRole('navigation', { name: 'Project' }), 'Shop (EU)');
  });

  it('changes the password, and a reload keeps the session', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    const form = page.getByRole('form', { name: 'Change password' });
    const next = 'second password 456';
    await form.getByLabel('Current password').fill(password);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('Repeat new password').fill(next);
    await check('account');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Password changed').waitFor();
    password = next;
    await page.reload();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByText(email).first().waitFor();
  });

  it('logs out, and logs back in with the new password', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto('/projects');
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/projects$/);
    await page.getByRole('link', { name: 'Shop (EU)' }).waitFor();
  });

  it('ran every screen under the CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
