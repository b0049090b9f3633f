import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deleteRedisKeys, freePort } from './support/platform';

/**
 * `npm start` end to end: scripts/start.js with no DATABASE_URL (so an embedded PostgreSQL in a fresh
 * data directory), the machine's Redis, a free port. Needs `npm run build` first (npm test does it).
 */
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const REDIS_URL = 'redis://127.0.0.1:6379';

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start (scripts/start.js)', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let output = '';
  const redisPrefix = `mjsstart${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mjs-start-e2e-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      // The supervisor notices its launcher is gone and stops the platform; its output pipe closes when it has.
      const closed = new Promise((r) => child!.once('close', r));
      child.kill('SIGKILL');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 30_000).unref())]);
    }
    // As root the database files belong to `postgres`; root may still remove them.
    rmSync(dataDir, { recursive: true, force: true });
    await deleteRedisKeys(REDIS_URL, redisPrefix);
  });

  it('starts everything, prints the banner, serves the API and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MESSAGEJS_DATA_DIR: dataDir,
      PORT: String(port),
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
    };
    for (const name of ['DATABASE_URL', 'JWT_SECRET', 'MESSAGEJS_ENCRYPTION_KEY', 'NODE_ENV']) delete env[name];

    const proc = spawn(process.execPath, ['scripts/start.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

    // The banner, or the reason it never came.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${output.slice(-3000)}`)), 90_000);
      const check = () => {
        if (/MessageJS is running[\s\S]*Redis\s+\S+ \(external\)/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout.on('data', check);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`start.js exited (${code ?? signal}) before the banner:\n${output.slice(-3000)}`));
      });
    });

    // The banner means every app serves: a signup at once reaches the management app (no 503 timeout).
    const signup = await fetch(`http://127.0.0.1:${port}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${redisPrefix}@example.com`, password: randomBytes(12).toString('hex') }),
    });
    expect(signup.status).toBe(201);

    // The dashboard first: it is where a newcomer starts.
    expect(output).toContain(
      `MessageJS is running\n  Dashboard  http://localhost:${port}/\n  API        http://localhost:${port}/api/v1\n`,
    );
    expect(output).toContain(`OpenAPI    http://localhost:${port}/openapi.json`);
    const pgLine = /PostgreSQL (postgres:\/\/\S+) \(embedded\)/.exec(output);
    expect(pgLine).not.toBeNull();
    const pgUrl = new URL(pgLine![1]);
    expect(pgUrl.password).toBe(''); // never printed
    expect(output).toContain(`Redis      ${REDIS_URL} (external)`);

    // Development secrets were generated once, private to the user.
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const spec = JSON.parse(await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).text());
    expect(typeof spec.openapi).toBe('string');
    expect(spec.paths).toEqual(expect.any(Object));

    proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still running 30 s after SIGTERM:\n${output.slice(-3000)}`)), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(result).toEqual({ code: 0, signal: null });

    // Nothing left behind: neither the gateway nor the embedded PostgreSQL still listens.
    expect(await portAnswers(port)).toBe(false);
    expect(await portAnswers(Number(pgUrl.port))).toBe(false);
  });
});
