import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createSuiteDatabase, databaseUrl, dropDatabase, redisUrl } from './databases';

export type AppName = 'management' | 'dispatcher' | 'worker' | 'webhooks' | 'gateway';
export const APPS: AppName[] = ['management', 'dispatcher', 'worker', 'webhooks', 'gateway'];

const ROOT = path.resolve(__dirname, '..', '..');
const READY_LINE: Record<AppName, RegExp> = {
  management: /Nest microservice successfully started/,
  dispatcher: /Nest microservice successfully started/,
  worker: /consuming connector\./,
  webhooks: /consuming webhooks\.events/,
  gateway: /Nest application successfully started/,
};

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
}

/** What a suite needs to call a running platform; `createTenant` takes any of them. */
export interface PlatformApi {
  readonly baseUrl: string;
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}

/** One HTTP call to the platform at `baseUrl`; `url` is a path (`/readyz`) or relative to /api/v1 (`messages`). */
export async function apiRequest<T = any>(
  baseUrl: string,
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${url.startsWith('/') ? url : `/api/v1/${url}`}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * What every suite's platform runs with, however it is started: its own database, Redis prefix and
 * port, and a quick tempo (outbox sweeps, retries, shutdowns) so tests see recoveries at once.
 */
export function suiteEnv(database: string, redisPrefix: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: redisPrefix,
    PORT: String(port),
    OUTBOX_SWEEP_INTERVAL_MS: '1000',
    OUTBOX_STALE_AFTER_MS: '5000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    RETRY_BASE_DELAY_MS: '300',
    // Provider fakes listen on loopback; the outbound guard's own suite turns this off.
    CONNECTOR_ALLOW_PRIVATE: 'true',
  };
}

/**
 * The real platform for one suite: the five built apps as child processes, on a database copied from
 * the migrated template and a Redis prefix of its own. Everything the apps print is kept, so a test
 * can assert that no secret ever reached a log line.
 */
export class Platform implements PlatformApi {
  readonly processes = new Map<AppName, ChildProcess>();
  readonly logs: string[] = [];
  readonly env: Record<string, string>;
  baseUrl = '';
  db!: Client;

  private constructor(
    readonly database: string,
    readonly redisPrefix: string,
    readonly port: number,
    extraEnv: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env = {
      ...suiteEnv(database, redisPrefix, port),
      LOG_LEVEL: 'info',
      JWT_SECRET: randomBytes(32).toString('hex'),
      MESSAGEJS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...extraEnv,
    };
  }

  /** `databasePort`: the apps reach PostgreSQL through this port instead (a proxy a test can cut). */
  static async start(options: { env?: Record<string, string>; apps?: AppName[]; databasePort?: number } = {}): Promise<Platform> {
    const database = await createSuiteDatabase();
    const env = { ...(options.env ?? {}) };
    if (options.databasePort) {
      const url = new URL(databaseUrl(database));
      url.port = String(options.databasePort);
      env.DATABASE_URL = url.toString();
    }
    const platform = new Platform(database, `t${randomBytes(5).toString('hex')}`, await freePort(), env);
    platform.db = new Client({ connectionString: databaseUrl(database) });
    await platform.db.connect();
    await Promise.all((options.apps ?? APPS).map((app) => platform.startApp(app)));
    return platform;
  }

  async startApp(app: AppName, timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', app, 'main.js')], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.processes.set(app, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${app} did not start within ${timeoutMs} ms:\n${this.tail(app)}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        for (const line of text.split('\n')) if (line) this.logs.push(`[${app}] ${line}`);
        if (READY_LINE[app].test(text)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${app} exited with ${code} while starting:\n${this.tail(app)}`));
      });
    });
  }

  tail(app: AppName, lines = 20): string {
    return this.logs
      .filter((l) => l.startsWith(`[${app}]`))
      .slice(-lines)
      .join('\n');
  }

  /** SIGKILL: no cleanup, no graceful anything — the crash case of invariant 1. */
  async kill(app: AppName): Promise<void> {
    const child = this.processes.get(app);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.processes.delete(app);
  }

  /** SIGTERM and wait; resolves with the exit code. */
  async terminate(app: AppName, timeoutMs = 20_000): Promise<number | null> {
    const child = this.processes.get(app);
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    this.processes.delete(app);
    return code;
  }

  request<T = any>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return apiRequest<T>(this.baseUrl, method, url, options);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((app) => this.terminate(app, 10_000)));
    await this.db?.end().catch(() => undefined);
    await dropDatabase(this.database).catch(() => undefined);
    // A suite that stopped its own Redis has nothing left to clean.
    await deleteRedisKeys(this.env.REDIS_URL, this.redisPrefix).catch(() => undefined);
  }
}

/** Removes every key under `prefix:` (a suite's queues, caches, rate-limit windows). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
