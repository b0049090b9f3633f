import { randomBytes } from 'node:crypto';
import { JobType, Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  APPS,
  AppName,
  deleteRedisKeys,
  freePort,
  NodeProcess,
  Supervisor,
  throwawaySecrets,
  waitFor,
  withDeadline,
} from '../../libs/devkit/src';
import { createSuiteDatabase, databaseUrl, dropDatabase, redisUrl } from './databases';

export { APPS, deleteRedisKeys, freePort };
export type { AppName };

/** Polls until `check` returns a truthy value or the time is up. */
export const eventually = waitFor;

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
    // Suites sign up many users and try bad keys from one address; auth-limits.e2e-spec runs the real limits.
    AUTH_REQUESTS_PER_IP: '100000',
    UNKNOWN_KEYS_PER_IP: '100000',
  };
}

/**
 * The real platform for one suite: the five built apps as child processes of the devkit Supervisor
 * (ready when each says so over IPC, as under `npm start`), on a database copied from the migrated
 * template and a Redis prefix of its own. Everything the apps print is kept, so a test can assert
 * that no secret ever reached a log line.
 */
export class Platform implements PlatformApi {
  readonly processes = new Map<AppName, NodeProcess>();
  readonly logs: string[] = [];
  readonly env: Record<string, string>;
  baseUrl = '';
  db!: Client;
  private readonly supervisor = new Supervisor({ onLine: (label, line) => this.logs.push(`[${label}] ${line}`) });
  private redisClient?: Redis;
  private readonly closeWith: Array<{ close(): Promise<void> }> = [];

  private constructor(
    readonly database: string,
    readonly redisPrefix: string,
    readonly port: number,
    extraEnv: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env = { ...suiteEnv(database, redisPrefix, port), LOG_LEVEL: 'info', ...throwawaySecrets(), ...extraEnv };
  }

  /**
   * `databasePort`: the apps reach PostgreSQL through this port instead (a proxy a test can cut).
   * `closeWith`: provider fakes and the like that `stop()` closes after the apps.
   */
  static async start(
    options: { env?: Record<string, string>; apps?: AppName[]; databasePort?: number; closeWith?: Array<{ close(): Promise<void> }> } = {},
  ): Promise<Platform> {
    const database = await createSuiteDatabase();
    const env = { ...(options.env ?? {}) };
    if (options.databasePort) {
      const url = new URL(databaseUrl(database));
      url.port = String(options.databasePort);
      env.DATABASE_URL = url.toString();
    }
    const platform = new Platform(database, `t${randomBytes(5).toString('hex')}`, await freePort(), env);
    platform.closeWith.push(...(options.closeWith ?? []));
    try {
      platform.db = new Client({ connectionString: databaseUrl(database) });
      await platform.db.connect();
      await Promise.all((options.apps ?? APPS).map((app) => platform.startApp(app)));
    } catch (err) {
      await platform.stop(); // nothing of a platform that failed to start may outlive the suite
      throw err;
    }
    return platform;
  }

  /** Starts `app` and resolves once it announces that it serves (generous: the machine may be busy). */
  async startApp(app: AppName, timeoutMs = 60_000): Promise<void> {
    this.processes.set(app, await this.launch(app, app, timeoutMs));
  }

  /**
   * Starts one more process of `app` (a second replica, labelled `label` in the logs), ready when it
   * says so over IPC like every other; it is stopped with the platform.
   */
  startReplica(app: AppName, label: string, timeoutMs = 60_000): Promise<NodeProcess> {
    return this.launch(app, label, timeoutMs);
  }

  private async launch(app: AppName, label: string, timeoutMs: number): Promise<NodeProcess> {
    const proc = this.supervisor.start(app, this.env, { label });
    try {
      await withDeadline(proc.ready, timeoutMs, `${label} start-up`);
    } catch (err) {
      throw new Error(`${(err as Error).message}:\n${this.tail(label)}`, { cause: err });
    }
    return proc;
  }

  /** The last lines a process (an app, or a replica's label) printed. */
  tail(label: string, lines = 20): string {
    return this.logs
      .filter((l) => l.startsWith(`[${label}]`))
      .slice(-lines)
      .join('\n');
  }

  /** SIGKILL: no cleanup, no graceful anything — the crash case of invariant 1. */
  async kill(app: AppName): Promise<void> {
    const proc = this.processes.get(app);
    if (!proc) return;
    await this.supervisor.kill(proc);
    this.processes.delete(app);
  }

  /** SIGTERM and wait (SIGKILL after `timeoutMs`); resolves with the exit code. */
  async terminate(app: AppName, timeoutMs = 20_000): Promise<number | null> {
    const proc = this.processes.get(app);
    if (!proc) return null;
    const exit = await this.supervisor.stop(proc, timeoutMs);
    this.processes.delete(app);
    return exit.code;
  }

  /** Resolves once every one of these messages is `sent`, with how long that took (ms). */
  async allSent(ids: string[], timeoutMs: number): Promise<number> {
    const started = Date.now();
    await waitFor(
      async () => {
        const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [
          ids,
        ]);
        return rows[0].n === ids.length;
      },
      timeoutMs,
      250,
    );
    return Date.now() - started;
  }

  /**
   * Resolves once none of these BullMQ queues holds a job in `states`: everything enqueued before the
   * call has been handled. The event that proves a negative ("nothing more was sent"), instead of a sleep.
   */
  async queuesIdle(queues: string[], states: JobType[] = ['wait', 'active', 'delayed', 'prioritized'], timeoutMs = 20_000): Promise<void> {
    const connection = new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const handles = queues.map((name) => new Queue(name, { connection, prefix: `${this.redisPrefix}:bull` }));
    try {
      await waitFor(async () => {
        const counts = await Promise.all(handles.map((q) => q.getJobCounts(...states)));
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      }, timeoutMs);
    } finally {
      await Promise.all(handles.map((q) => q.close()));
      connection.disconnect();
    }
  }

  request<T = any>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return apiRequest<T>(this.baseUrl, method, url, options);
  }

  /** A Redis client for a suite to look into the platform's keys (under `redisPrefix`); it fails fast and closes with the platform. */
  get redis(): Redis {
    return (this.redisClient ??= new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: 1 }));
  }

  async stop(): Promise<void> {
    this.redisClient?.disconnect();
    await this.supervisor.stopAll(10_000);
    this.processes.clear();
    await Promise.all(this.closeWith.map((c) => c.close().catch(() => undefined)));
    await this.db?.end().catch(() => undefined);
    await dropDatabase(this.database).catch(() => undefined);
    // A suite that stopped its own Redis has nothing left to clean.
    await deleteRedisKeys(this.env.REDIS_URL, this.redisPrefix).catch(() => undefined);
  }
}
