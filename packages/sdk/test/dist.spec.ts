import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { json, ScriptedServer, startScriptedServer } from './scripted-server';

// Async on purpose: the scripted server answering the spawned programs lives in this process.
const run = promisify(execFile);
const sdk = join(__dirname, '..');
const repo = join(sdk, '../..');
const LIMIT = 5000; // size-limit's "5 KB"

const accepted = {
  id: 'm-1',
  status: 'queued',
  connector: { id: 'c-1', type: 'telegram' },
  to: '1',
  createdAt: '2025-01-01T00:00:00.000Z',
};

// Each consumer sends one template and prints what it saw, so the three formats are held to the same behaviour.
const consumers: Record<string, string> = {
  'consumer.cjs': `
    const messagejs = require('messagejs');
    const { MessageJS, MessageJSError, default: byDefault } = require('messagejs');
    messagejs.init('mjs_pk_test', 'p-1', { baseUrl: process.env.URL });
    messagejs.send({ to: '1', template: { name: 'welcome' }, connector: 'telegram' }).then((r) =>
      console.log(JSON.stringify({ id: r.id, MessageJS: typeof MessageJS, MessageJSError: typeof MessageJSError, same: byDefault.send === messagejs.send })));`,
  'consumer.mjs': `
    import messagejs, { MessageJS, MessageJSError, send } from 'messagejs';
    messagejs.init('mjs_pk_test', 'p-1', { baseUrl: process.env.URL });
    const r = await messagejs.send({ to: '1', template: { name: 'welcome' }, connector: 'telegram' });
    console.log(JSON.stringify({ id: r.id, MessageJS: typeof MessageJS, MessageJSError: typeof MessageJSError, same: send === messagejs.send }));`,
  // Runs the <script> bundle the way a page does: top-level code in the global scope.
  'script-tag.cjs': `
    const { runInThisContext } = require('node:vm');
    runInThisContext(require('node:fs').readFileSync(require.resolve('messagejs/messagejs.min.js'), 'utf8'));
    messagejs.init('mjs_pk_test', 'p-1', { baseUrl: process.env.URL });
    messagejs.send({ to: '1', template: { name: 'welcome' }, connector: 'telegram' }).then((r) =>
      console.log(JSON.stringify({ id: r.id, MessageJS: typeof messagejs.MessageJS, MessageJSError: typeof messagejs.MessageJSError, same: messagejs.default.send === messagejs.send })));`,
  // Type-checked only: the published declarations under Node's own resolution, for import and require.
  'typed.mts': `
    import messagejs, { MessageJSError, type AcceptedMessage } from 'messagejs';
    const accepted: Promise<AcceptedMessage> = messagejs.send({ to: '1', message: 'Hi', connector: 'telegram' });
    const status: number = new MessageJSError(422, {}).status;
    export { accepted, status };`,
  'typed.cts': `
    import messagejs = require('messagejs');
    const client: messagejs.MessageJS = messagejs.init('mjs_sk_test', 'p-1');
    const page: Promise<messagejs.Page<messagejs.Message>> = client.list({ limit: 5 });
    export { page };`,
};

describe('the built package', () => {
  let consumer: string;
  let server: ScriptedServer;

  beforeAll(async () => {
    await run(process.execPath, ['build.mjs'], { cwd: sdk });
    // A consumer project with the package installed under its published name, resolved through `exports`.
    consumer = mkdtempSync(join(tmpdir(), 'messagejs-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(sdk, join(consumer, 'node_modules', 'messagejs'), 'dir');
    for (const [file, code] of Object.entries(consumers)) writeFileSync(join(consumer, file), code);
    server = await startScriptedServer((_req, res) => json(res, 202, accepted));
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it.each(['consumer.cjs', 'consumer.mjs', 'script-tag.cjs'])(
    '%s sends through the default export and sees the named exports',
    async (file) => {
      const { stdout } = await run(process.execPath, [file], {
        cwd: consumer,
        env: { ...process.env, URL: server.url },
      });

      expect(JSON.parse(stdout)).toEqual({ id: 'm-1', MessageJS: 'function', MessageJSError: 'function', same: true });
    },
  );

  it('ships declarations that type-check for import and require under node16 resolution', async () => {
    const tsc = join(repo, 'node_modules/.bin/tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
      'typed.mts',
      'typed.cts',
    ];
    const result = await run(tsc, args, { cwd: consumer }).catch((e: { stdout: string }) => e);

    expect(result.stdout).toBe('');
  }, 20_000);

  it(`stays under ${LIMIT} B minified + gzipped, imported whole and as the <script> bundle`, async () => {
    // The same measure as size-limit: everything exported, bundled, minified, gzip level 9.
    const measure = `
      import { build } from 'esbuild';
      const r = await build({ stdin: { contents: "export * from 'messagejs'; export { default } from 'messagejs';", resolveDir: '.' },
        bundle: true, minify: true, format: 'esm', write: false, absWorkingDir: process.cwd() });
      process.stdout.write(r.outputFiles[0].text);`;
    writeFileSync(join(consumer, 'measure.mjs'), measure);
    // esbuild is resolved from the repo's node_modules: NODE_PATH does not apply to ESM, so the script imports through a link.
    symlinkSync(join(repo, 'node_modules/esbuild'), join(consumer, 'node_modules', 'esbuild'), 'dir');
    const { stdout: bundle } = await run(process.execPath, ['measure.mjs'], { cwd: consumer });
    const esm = gzipSync(bundle, { level: 9 }).length;
    const script = gzipSync(readFileSync(join(sdk, 'dist/messagejs.min.js')), { level: 9 }).length;

    expect(esm).toBeLessThanOrEqual(LIMIT);
    expect(script).toBeLessThanOrEqual(LIMIT);
  }, 20_000);

  const sizeLimitMajor = Number(JSON.parse(readFileSync(join(repo, 'node_modules/size-limit/package.json'), 'utf8')).version.split('.')[0]);
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  // size-limit 13+ imports fs/promises.glob, which Node 20 lacks; 12.x runs on Node 20.
  const sizeLimitRuns = sizeLimitMajor <= 12 || nodeMajor >= 22;
  (sizeLimitRuns ? it : it.skip)(
    'passes size-limit (needs size-limit ≤ 12 on Node 20)',
    async () => {
      const { stdout } = await run(join(repo, 'node_modules/.bin/size-limit'), ['--json'], { cwd: sdk });
      const checks = JSON.parse(stdout) as { name: string; passed: boolean; size: number }[];

      expect(checks).toHaveLength(2);
      for (const check of checks) expect(check).toMatchObject({ passed: true });
    },
    30_000,
  );
});
