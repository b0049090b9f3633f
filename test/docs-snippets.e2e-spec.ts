import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TelegramFake } from './fakes/telegram.fake';
import { outputPattern, runnableSnippets, runSnippet, Snippet } from './support/doc-snippets';
import { StartedPlatform } from './support/started-platform';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');
const DOCS = path.join(ROOT, 'docs', 'docs');
const SNIPPET_TIMEOUT_MS = 45_000;

/**
 * The pages whose runnable blocks run, in reading order: later pages use what the quickstart set up
 * (API, TOKEN, PROJECT, MJS_KEY), as a reader following the docs would.
 */
const PAGES = ['quickstart.md', 'sdk/index.md', 'webhooks/verify-signatures.md'];

const snippets: Snippet[] = PAGES.flatMap((page) => runnableSnippets(DOCS, page));

/**
 * The docs' ` ```bash runnable ` (and js, python) blocks, run in order against the platform started as
 * `npm start` does, with the Telegram fake standing in for api.telegram.org: a renamed route or field
 * breaks this test, not the reader.
 */
describe('runnable docs snippets', () => {
  let platform: StartedPlatform;
  let telegram: TelegramFake;
  let workDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await StartedPlatform.start({
      // The fake listens on loopback, which connectors and webhooks refuse unless told otherwise.
      env: { CONNECTOR_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    workDir = mkdtempSync(path.join(tmpdir(), 'mjs-docs-snippets-'));
    // What `npm install messagejs standardwebhooks` gives a reader: the built SDK and the library.
    mkdirSync(path.join(workDir, 'node_modules'));
    symlinkSync(path.join(ROOT, 'packages', 'sdk'), path.join(workDir, 'node_modules', 'messagejs'));
    symlinkSync(path.join(ROOT, 'node_modules', 'standardwebhooks'), path.join(workDir, 'node_modules', 'standardwebhooks'));
    // The variables the pages document, pointing at this platform and the fake instead of the real services.
    env = {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      MESSAGEJS_URL: platform.baseUrl,
      TELEGRAM_API: telegram.baseUrl,
      TELEGRAM_BOT_TOKEN: telegram.addToken(),
      TELEGRAM_CHAT_ID: '424242',
    };
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('finds runnable blocks on every page it covers', () => {
    for (const page of PAGES) expect(snippets.filter((s) => s.page === page).length).toBeGreaterThan(0);
  });

  it.each(snippets.map((s) => [`${s.page}:${s.line} (${s.lang} #${s.index})`, s] as const))(
    '%s runs as the page says',
    async (_, snippet) => {
      const run = await runSnippet(snippet, workDir, path.join(workDir, 'state.sh'), env, SNIPPET_TIMEOUT_MS);

      const report = `${snippet.page}:${snippet.line} exited ${run.code}\n--- code\n${snippet.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- platform\n${platform.tail(20)}`;
      if (run.code !== 0) throw new Error(report);
      if (snippet.expected !== undefined && !outputPattern(snippet.expected).test(run.stdout.trim())) {
        throw new Error(`output differs from the page's Output block:\n--- expected\n${snippet.expected}\n${report}`);
      }
    },
  );

  it('the quickstart’s message reached Telegram (the fake) with its text', () => {
    expect(telegram.sent.filter((s) => s.chatId === '424242').map((s) => s.text)).toContain('Hello from MessageJS');
  });
});
