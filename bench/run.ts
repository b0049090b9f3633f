/**
 * `npm run bench`: MessageJS and a hand-written minimal pipeline (bench/minimal-pipeline.js: raw
 * node:http + pg + BullMQ) measured side by side, in one run, on this machine, under the same load,
 * against the same loopback Telegram stub (bench/provider-stub.js). Absolute figures move with the
 * machine; the ratio MessageJS ÷ minimal is the number that matters (docs: ARCHITECTURE.md,
 * "Performance stance").
 *
 * For each pipeline: a warm-up, then autocannon (64 connections, BENCH_DURATION s, default 10)
 * POSTing one message per request; accepted/s = 2xx ÷ duration, p50/p99 latency, errors; then
 * end-to-end: from load start until every accepted message is `sent` in that pipeline's database,
 * e2e msgs/s = accepted ÷ that time (the wait is capped at 120 s and reported if it did not drain).
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; two fresh databases are
 * created next to it and dropped at the end), REDIS_URL (default redis://127.0.0.1:6379; unique key
 * prefixes, deleted at the end), BENCH_DURATION (seconds), BENCH_ORDER (e.g. "minimal,messagejs"),
 * BENCH_CPU_PROF (a directory: each pipeline process writes a V8 .cpuprofile there on exit),
 * BENCH_MINIMAL_PROCESSES=2 (run the minimal pipeline's HTTP server and worker as two processes).
 * Writes bench/results/latest.json (BENCH_RESULTS: another path; BENCH_ANALYTICS_MESSAGES: how many
 * messages the analytics part seeds, default 1,000,000). Exits 0 even below the floor (it is a report); non-zero when a
 * pipeline cannot start or a process dies during the run.
 */ import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  AppName,
  createDatabase,
  databaseUrl,
  deleteRedisKeys,
  describeExit,
  dropDatabase,
  freePort,
  NodeProcess,
  REPO_ROOT,
  redactUrl,
  sleep,
  Supervisor,
  throwawaySecrets,
  withDeadline,
} from '@app/devkit';
import { benchAnalytics } from './analytics';
import { cpuBetween, cpuMsPerMessage, cpuSnapshot } from './cpu';
import { PipelineResult, report } from './report';

/** What this run reads of autocannon's result (the package ships no types). */
interface LoadResult {
  '2xx': number;
  duration: number;
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface RunningLoad {
  stop(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: object, done: (err: Error | null, result: LoadResult) => void) => RunningLoad;

const BENCH_DIR = path.join(REPO_ROOT, 'bench');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const APPS: AppName[] = ['management', 'dispatcher', 'worker', 'gateway'];

function positiveNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

const SETTINGS = {
  connections: 64,
  durationS: positiveNumber(process.env.BENCH_DURATION, 10),
  warmupS: 2,
  workerConcurrency: 50,
  drainCapS: 120,
  floor: 0.5,
  pollMs: 100,
  /** 1 (default): the minimal pipeline's HTTP server and worker share one process; 2: one each. */
  minimalProcesses: process.env.BENCH_MINIMAL_PROCESSES === '2' ? 2 : 1,
  body: JSON.stringify({ to: '12345', message: 'hi', connector: 'telegram' }),
  order: (process.env.BENCH_ORDER || 'messagejs,minimal').split(',').map((s) => s.trim()) as Array<'messagejs' | 'minimal'>,
};
if (SETTINGS.order.length !== 2 || !SETTINGS.order.includes('messagejs') || !SETTINGS.order.includes('minimal')) {
  process.stderr.write('[bench] BENCH_ORDER must name messagejs and minimal, e.g. "minimal,messagejs"\n');
  process.exit(2);
}

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const RUN_ID = process.pid;
const NAMES = {
  messagejsDb: `mjs_bench_${RUN_ID}`,
  minimalDb: `mjs_min_${RUN_ID}`,
  messagejsPrefix: `mjs_bench_${RUN_ID}`,
  minimalPrefix: `mjs_min_${RUN_ID}`,
};

class StartupError extends Error {}
/** True until both pipelines are up: any failure before then means a pipeline failed to start. */
let starting = true;
let interrupted = false;

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

// ─── Child processes: the devkit Supervisor, plus what the report needs of each one's output ─────

/** The last lines of a process and its warn/error lines (pino levels 40-60, or Nest's own words). */
class Lines {
  tail: string[] = [];
  problemLines = 0;
  problems: string[] = [];

  record(line: string): void {
    if (!line.trim()) return;
    if (/"level":\s*[456]0\b/.test(line) || /\b(?:ERROR|WARN|failed to start)\b/.test(line)) {
      this.problemLines++;
      if (this.problems.length < 5) this.problems.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
    }
    this.tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.tail.length > 30) this.tail.shift();
  }

  text(label: string): string {
    return this.tail.length ? `\n--- last output of ${label} ---\n${this.tail.slice(-15).join('\n')}` : '';
  }
}

const lines = new Map<string, Lines>();
const linesOf = (label: string): Lines => {
  let l = lines.get(label);
  if (!l) lines.set(label, (l = new Lines()));
  return l;
};

let rejectCrash: (err: Error) => void = () => undefined;
/** Rejects as soon as any child exits on its own; every long step races against it. */
const crashed = new Promise<never>((_, reject) => {
  rejectCrash = reject;
});
crashed.catch(() => undefined);

/** BENCH_CPU_PROF=<dir>: every pipeline process writes a V8 .cpuprofile there when it exits. */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];

const supervisor = new Supervisor({
  execArgv: PROFILE_ARGS,
  onLine: (label, line) => linesOf(label).record(line),
  onUnexpectedExit: (proc, exit) => {
    if (!interrupted)
      rejectCrash(
        new Error(`${proc.label} (pid ${proc.pid}) exited unexpectedly (${describeExit(exit)})${linesOf(proc.label).text(proc.label)}`),
      );
  },
});

/** A bench script (the stub, the minimal pipeline), ready once it reports its port over IPC. */
async function startScript(label: string, file: string, env: NodeJS.ProcessEnv): Promise<{ proc: NodeProcess; port: number }> {
  const proc = supervisor.start(null, env, { label, file: path.join(BENCH_DIR, file) });
  const ready = await withDeadline(Promise.race([proc.ready, crashed]), 30_000, `${label} start-up`);
  return { proc, port: ready.port ?? 0 };
}

// ─── HTTP helpers ───────────────────────────────────────────────────────────────────────────────

interface CallOptions {
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

async function http(method: string, url: string, { token, body, timeoutMs = 15_000 }: CallOptions = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Retries while the platform is still coming up (connection refused, 502/503/504), up to a deadline. */
async function callUntil(method: string, url: string, options: CallOptions, expectStatus: number, deadlineMs = 60_000): Promise<any> {
  const deadline = Date.now() + deadlineMs;
  let last: string;
  for (;;) {
    try {
      const res = await Promise.race([http(method, url, options), crashed]);
      if (res.status === expectStatus) return res.json;
      last = `HTTP ${res.status} ${res.text.slice(0, 300)}`;
      if (![502, 503, 504].includes(res.status)) break;
    } catch (err) {
      if (err instanceof Error && /exited unexpectedly/.test(err.message)) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  throw new StartupError(`${method} ${new URL(url).pathname} did not answer ${expectStatus}: ${last}`);
}

function randomToken(length: number): string {
  // base64url is exactly the alphabet Telegram tokens use after the colon: [A-Za-z0-9_-].
  return randomBytes(length).toString('base64url').slice(0, length);
}

// ─── Databases ──────────────────────────────────────────────────────────────────────────────────

let admin: Client | undefined;
const createdDatabases: string[] = [];
const pollers: Client[] = [];
let redisReachable = false;

async function createBenchDatabase(name: string): Promise<void> {
  await dropDatabase(DATABASE_URL, name);
  await createDatabase(DATABASE_URL, name);
  createdDatabases.push(name);
}

async function connectPoller(name: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl(DATABASE_URL, name) });
  client.on('error', () => undefined);
  await client.connect();
  pollers.push(client);
  return client;
}

interface Counts {
  total: number;
  sent: number;
  failed: number;
}

async function counts(db: Client): Promise<Counts> {
  const { rows } = await db.query<Counts>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM messages`,
  );
  return rows[0];
}

interface Pipeline {
  name: 'messagejs' | 'minimal';
  label: string;
  url: string;
  apiKey: string;
  botToken: string;
  processes: NodeProcess[];
  db: Client;
  unfinishedSql: string;
}

/**
 * Polls until every row in the pipeline's table is final (sent or failed) and at least `minSent`
 * are sent. `unfinishedSql` is the cheap form of the poll (MessageJS's partial index answers it
 * without a table scan); the full count confirms at the end.
 */
async function waitDrained(p: Pipeline, minSent: number, capMs: number): Promise<Counts & { drained: boolean; at: number }> {
  const start = performance.now();
  for (;;) {
    const { rows } = await Promise.race([p.db.query<{ n: number }>(p.unfinishedSql), crashed]);
    const now = performance.now();
    if (rows[0].n === 0) {
      const c = await counts(p.db);
      if (c.sent >= minSent || c.sent + c.failed >= c.total) return { drained: c.sent >= minSent, at: now, ...c };
    }
    if (now - start > capMs) return { drained: false, at: now, ...(await counts(p.db)) };
    await sleep(SETTINGS.pollMs);
  }
}

// ─── The two pipelines ──────────────────────────────────────────────────────────────────────────

const MESSAGEJS_ENV_KEYS = [
  'NODE_ENV',
  'PORT',
  'DATABASE_URL',
  'REDIS_URL',
  'REDIS_PREFIX',
  'LOG_LEVEL',
  'JWT_SECRET',
  'MESSAGEJS_ENCRYPTION_KEY',
  'MESSAGEJS_ENCRYPTION_KEY_VERSION',
  'MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS',
  'CONNECTORS',
  'PUBLIC_URL',
  'API_KEY_CACHE_TTL_MS',
  'WORKER_CONCURRENCY',
  'SEND_MAX_ATTEMPTS',
  'OUTBOX_SWEEP_INTERVAL_MS',
  'OUTBOX_STALE_AFTER_MS',
  'SHUTDOWN_TIMEOUT_MS',
  'RATE_LIMIT_PER_SECOND',
  'IDEMPOTENCY_TTL_HOURS',
];

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of MESSAGEJS_ENV_KEYS) delete env[key];
  return env;
}

type MessageJsPipeline = Pipeline & {
  analytics: { baseUrl: string; accessToken: string; projectId: string; connectorId: string; env: NodeJS.ProcessEnv };
};

async function startMessageJs(stubUrl: string): Promise<MessageJsPipeline> {
  for (const app of APPS) {
    const file = path.join(REPO_ROOT, 'dist', 'apps', app, 'main.js');
    if (!fs.existsSync(file))
      throw new StartupError(`${path.relative(REPO_ROOT, file)} is missing: run \`npm run build\` first (or \`npm run bench\`)`);
  }
  await createBenchDatabase(NAMES.messagejsDb);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(DATABASE_URL, NAMES.messagejsDb),
    REDIS_URL,
    REDIS_PREFIX: NAMES.messagejsPrefix,
    LOG_LEVEL: 'warn',
    ...throwawaySecrets(),
    WORKER_CONCURRENCY: String(SETTINGS.workerConcurrency),
    SHUTDOWN_TIMEOUT_MS: '5000',
    // The one bench key carries the whole load (rateLimitPerSecond 10,000 below): the operator's ceiling allows it.
    PROJECT_MAX_RATE_LIMIT: '10000',
    // The provider stub listens on loopback, which the outbound guard refuses unless allowed.
    CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
  };

  log('MessageJS: applying migrations');
  await withDeadline(supervisor.migrate(env), 60_000, 'migrations').catch((err: Error) => {
    throw new StartupError(`${err.message}${linesOf('migrate').text('migrate')}`);
  });

  log(`MessageJS: starting ${APPS.join(', ')}`);
  const processes = APPS.map((app) =>
    supervisor.start(app, {
      ...env,
      ...(app === 'gateway' ? { PORT: String(port) } : {}),
      ...(app === 'worker' ? { CONNECTORS: 'telegram' } : {}),
    }),
  );
  await withDeadline(Promise.race([Promise.all(processes.map((p) => p.ready)), crashed]), 60_000, 'MessageJS start-up');
  const base = `http://127.0.0.1:${port}`;
  await callUntil('GET', `${base}/readyz`, {}, 200);

  const email = `bench-${RUN_ID}-${randomToken(8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}@example.com`;
  const { accessToken } = await callUntil('POST', `${base}/api/v1/auth/signup`, { body: { email, password: randomToken(24) } }, 201);
  const project = await callUntil('POST', `${base}/api/v1/projects`, { token: accessToken, body: { name: 'bench' } }, 201);
  // One key carries the whole load: at the default 100/s per key the run would measure 429s. The API's
  // maximum keeps the limiter on the hot path (one Redis round trip per request) without refusing any.
  await callUntil('PATCH', `${base}/api/v1/projects/${project.id}`, { token: accessToken, body: { rateLimitPerSecond: 10000 } }, 200);
  const botToken = `123456:${randomToken(35)}`;
  const connector = await callUntil(
    'POST',
    `${base}/api/v1/projects/${project.id}/connectors`,
    {
      token: accessToken,
      body: {
        type: 'telegram',
        name: 'bench telegram',
        credentials: { botToken },
        config: {
          baseUrl: stubUrl,
          // No provider ceiling to honour, and as many sends in flight as the worker runs (the minimal
          // pipeline's concurrency): the default maxConcurrent of 10 would measure the cap, not the pipeline.
          maxPerSecond: 100000,
          maxConcurrent: SETTINGS.workerConcurrency,
        },
      },
    },
    201,
  );
  const { key } = await callUntil(
    'POST',
    `${base}/api/v1/projects/${project.id}/keys`,
    { token: accessToken, body: { name: 'bench' } },
    201,
  );

  // One message through the whole platform proves every app is up before any load.
  const probe = await callUntil('POST', `${base}/api/v1/messages`, { token: key, body: JSON.parse(SETTINGS.body) }, 202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const got = await callUntil('GET', `${base}/api/v1/messages/${probe.id}`, { token: key }, 200);
    if (got.status === 'sent') break;
    if (got.status === 'failed') throw new StartupError(`MessageJS probe message failed: ${JSON.stringify(got.error)}`);
    if (Date.now() > deadline) throw new StartupError(`MessageJS probe message is still ${got.status} after 60 s`);
    await sleep(100);
  }
  log(`MessageJS: up on ${base}, probe message sent`);

  return {
    name: 'messagejs',
    label: 'MessageJS',
    url: `${base}/api/v1/messages`,
    analytics: { baseUrl: base, accessToken, projectId: project.id, connectorId: connector.id, env },
    apiKey: key,
    botToken,
    processes,
    db: await connectPoller(NAMES.messagejsDb),
    unfinishedSql: `SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending')`,
  };
}

async function startMinimal(stubUrl: string): Promise<Pipeline> {
  await createBenchDatabase(NAMES.minimalDb);
  const apiKey = `mjs_sk_${randomToken(40).replace(/[^A-Za-z0-9]/g, 'x')}`;
  const botToken = `654321:${randomToken(35)}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(DATABASE_URL, NAMES.minimalDb),
    REDIS_URL,
    REDIS_PREFIX: NAMES.minimalPrefix,
    API_KEY: apiKey,
    PROVIDER_URL: stubUrl,
    BOT_TOKEN: botToken,
    WORKER_CONCURRENCY: String(SETTINGS.workerConcurrency),
    PORT: '0',
  };
  let processes: NodeProcess[];
  let port: number;
  if (SETTINGS.minimalProcesses === 2) {
    log('minimal: starting (HTTP and worker as two processes)');
    // One after the other: both create the table if it is missing.
    const api = await startScript('minimal-api', 'minimal-pipeline.js', { ...env, ROLE: 'api' });
    const worker = await startScript('minimal-worker', 'minimal-pipeline.js', { ...env, ROLE: 'worker' });
    processes = [api.proc, worker.proc];
    port = api.port;
  } else {
    log('minimal: starting');
    const all = await startScript('minimal', 'minimal-pipeline.js', { ...env, ROLE: 'all' });
    processes = [all.proc];
    port = all.port;
  }
  const url = `http://127.0.0.1:${port}/messages`;
  const db = await connectPoller(NAMES.minimalDb);
  const probe = await callUntil('POST', url, { token: apiKey, body: JSON.parse(SETTINGS.body) }, 202);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [probe.id]);
    if (rows[0] && rows[0].status === 'sent') break;
    if (Date.now() > deadline) throw new StartupError(`minimal probe message is still ${rows[0] ? rows[0].status : 'missing'} after 30 s`);
    await sleep(100);
  }
  log(`minimal: up on ${url}, probe message sent`);
  return {
    name: 'minimal',
    label: 'minimal',
    url,
    apiKey,
    botToken,
    processes,
    db,
    unfinishedSql: `SELECT count(*)::int AS n FROM messages WHERE status = 'queued'`,
  };
}

// ─── Load ───────────────────────────────────────────────────────────────────────────────────────

let runningLoad: RunningLoad | undefined;

function load(p: Pipeline, durationS: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    runningLoad = autocannon(
      {
        url: p.url,
        method: 'POST',
        connections: SETTINGS.connections,
        duration: durationS,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.apiKey}` },
        body: SETTINGS.body,
      },
      (err, result) => {
        runningLoad = undefined;
        if (err) reject(err);
        else resolve(result);
      },
    );
  });
}

async function vacuum(p: Pipeline): Promise<void> {
  await p.db.query('VACUUM ANALYZE messages').catch(() => undefined); // a report without it is still a report
}

const snapshot = () =>
  cpuSnapshot(
    admin!,
    createdDatabases,
    supervisor.processes.filter((p) => p.running),
  );

async function measure(p: Pipeline): Promise<PipelineResult> {
  log(`${p.label}: warm-up ${SETTINGS.warmupS} s`);
  await Promise.race([load(p, SETTINGS.warmupS), crashed]);
  const warm = await waitDrained(p, 0, 60_000);
  if (!warm.drained) log(`${p.label}: warning: the warm-up had not drained after 60 s (${warm.sent}/${warm.total} sent)`);
  await vacuum(p);
  const before = await counts(p.db);

  log(`${p.label}: load ${SETTINGS.durationS} s, ${SETTINGS.connections} connections`);
  const cpu0 = await snapshot();
  const t0 = performance.now();
  const result = await Promise.race([load(p, SETTINGS.durationS), crashed]);
  const cpu1 = await snapshot();
  const accepted = result['2xx'];
  log(`${p.label}: ${accepted} accepted; waiting until they are all sent (at most ${SETTINGS.drainCapS} s from load start)`);
  const drain = await waitDrained(p, before.sent + accepted, Math.max(0, SETTINGS.drainCapS * 1000 - (performance.now() - t0)));
  const cpu2 = await snapshot();
  const e2eSeconds = (drain.at - t0) / 1000;
  const tableStats = (
    await p.db.query<Record<string, string>>(
      `SELECT n_tup_ins AS inserts, n_tup_upd AS updates, n_tup_hot_upd AS "hotUpdates", pg_total_relation_size(relid) AS bytes
         FROM pg_stat_user_tables WHERE relname = 'messages'`,
    )
  ).rows[0];
  await vacuum(p); // so autovacuum of this table does not land in the next pipeline's window

  const names = p.processes.map((c) => c.label);
  const cpuNames = [...names, 'stub', 'harness'];
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    pipeline: p.name,
    durationS: result.duration,
    requests: result.requests.total,
    accepted,
    acceptedPerSecond: accepted / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    endToEnd: {
      drained: drain.drained,
      seconds: e2eSeconds,
      messagesPerSecond: drain.drained ? accepted / e2eSeconds : null,
      sentInWindow: drain.sent - before.sent,
      failedInWindow: drain.failed - before.failed,
      rowsInWindow: drain.total - before.total,
    },
    // Cumulative since the database was created (probe and warm-up included).
    messagesTableTotals: tableStats ? Object.fromEntries(Object.entries(tableStats).map(([k, v]) => [k, Number(v)])) : null,
    cpu: {
      load: cpuBetween(cpu0, cpu1, cpuNames),
      drain: cpuBetween(cpu1, cpu2, cpuNames),
      msPerMessage: accepted ? cpuMsPerMessage(cpu0, cpu2, names, accepted) : null,
    },
  };
}

// ─── Main and clean-up ──────────────────────────────────────────────────────────────────────────

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    runningLoad?.stop();
    await supervisor.stopAll(10_000);
    await Promise.allSettled(pollers.map((c) => c.end()));
    if (admin) {
      for (const name of createdDatabases) {
        await dropDatabase(DATABASE_URL, name).catch((err: Error) => log(`could not drop database ${name}: ${err.message}`));
      }
      await admin.end().catch(() => undefined); // closing a connection we are done with
    }
    if (redisReachable) {
      for (const prefix of [NAMES.messagejsPrefix, NAMES.minimalPrefix]) {
        await deleteRedisKeys(REDIS_URL, prefix).catch((err: Error) => log(`could not delete Redis keys ${prefix}:*: ${err.message}`));
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      supervisor.killAll();
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping every child and cleaning up (again to force)`);
    withDeadline(cleanup(), 30_000, 'clean-up')
      .catch((err: Error) => log(err.message))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
process.on('exit', () => supervisor.killAll());

function stubStats(stub: NodeProcess): Promise<Record<string, number> | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 2_000);
    stub.proc.once('message', (msg: { type?: string; sends?: Record<string, number> }) => {
      clearTimeout(timer);
      resolve(msg && msg.type === 'stats' ? (msg.sends ?? null) : null);
    });
    stub.proc.send({ type: 'stats' });
  });
}

async function main(): Promise<void> {
  const started = new Date();
  admin = new Client({ connectionString: DATABASE_URL });
  admin.on('error', () => undefined);
  await admin.connect().catch((err: Error) => {
    throw new StartupError(`PostgreSQL at ${redactUrl(DATABASE_URL)} is not reachable: ${err.message}`);
  });
  const pgVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: (times) => (times > 3 ? null : 200) });
  redis.on('error', () => undefined);
  let redisVersion: string;
  try {
    await redis.connect();
    redisReachable = true; // only now does clean-up have keys to delete
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  } catch (err) {
    throw new StartupError(`Redis at ${redactUrl(REDIS_URL)} is not reachable: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }

  const stub = await startScript('stub', 'provider-stub.js', { ...baseEnv(), PORT: '0' });
  const stubUrl = `http://127.0.0.1:${stub.port}`;
  log(`provider stub on ${stubUrl}`);

  const messagejs = await startMessageJs(stubUrl);
  const pipelines: Record<'messagejs' | 'minimal', Pipeline> = { messagejs, minimal: await startMinimal(stubUrl) };

  for (const [label, l] of lines) {
    for (const line of new Set(l.problems.map((p) => p.slice(0, 200)))) log(`start-up warning from ${label}: ${line}`);
    l.problems = [];
    l.problemLines = 0;
  }

  starting = false;
  const results = {} as Record<'messagejs' | 'minimal', PipelineResult>;
  for (const name of SETTINGS.order) results[name] = await measure(pipelines[name]);

  // Each pipeline has its own bot token, so the stub can tell whose sends it answered.
  const sends = await stubStats(stub.proc);
  for (const name of SETTINGS.order) {
    const p = pipelines[name];
    results[name].providerCalls = sends ? (sends[p.botToken] ?? 0) : null;
    results[name].sentTotal = (await counts(p.db)).sent;
    results[name].problemLogLines = Object.fromEntries(p.processes.map((c) => [c.label, linesOf(c.label).problemLines]));
    results[name].problemLogSamples = Object.fromEntries(
      p.processes.filter((c) => linesOf(c.label).problems.length).map((c) => [c.label, linesOf(c.label).problems]),
    );
  }
  // Last: it writes a million messages into MessageJS's database, which the counts above must not see.
  const analytics = await benchAnalytics({
    ...messagejs.analytics,
    db: messagejs.db,
    log,
    rebuild: async () => {
      const label = 'rebuild-analytics';
      const exit = await supervisor.run('dispatcher', [label], messagejs.analytics.env, label);
      const output = linesOf(label).tail.join('\n').trim();
      if (exit.code !== 0) throw new Error(`rebuild-analytics exited with ${describeExit(exit)}: ${output}`);
      return output;
    },
  });

  const meta = {
    cpus: os.cpus().length,
    cpuModel: (os.cpus()[0] || { model: '?' }).model,
    postgres: `PostgreSQL ${pgVersion}`,
    redis: redisVersion,
  };
  const summary = report(results, meta, SETTINGS);
  process.stdout.write(`${summary.text}\n`);
  for (const name of SETTINGS.order) {
    const noisy = Object.entries(results[name].problemLogLines ?? {}).filter(([, n]) => n > 0);
    if (noisy.length) {
      process.stdout.write(`  warn/error log lines (${name}): ${noisy.map(([app, n]) => `${app} ${n}`).join(', ')}; first ones:\n`);
      for (const [app, samples] of Object.entries(results[name].problemLogSamples ?? {}))
        for (const line of samples.slice(0, 2)) process.stdout.write(`    ${app}: ${line}\n`);
    }
  }

  fs.mkdirSync(process.env.BENCH_RESULTS ? path.dirname(path.resolve(process.env.BENCH_RESULTS)) : RESULTS_DIR, { recursive: true });
  const file = process.env.BENCH_RESULTS ? path.resolve(process.env.BENCH_RESULTS) : path.join(RESULTS_DIR, 'latest.json');
  const machine = { ...meta, node: process.version, postgres: pgVersion, platform: `${os.platform()} ${os.release()}` };
  const ratios = { acceptedPerSecond: summary.acceptedRatio, endToEndPerSecond: summary.e2eRatio };
  const document = { startedAt: started.toISOString(), finishedAt: new Date().toISOString(), machine, settings: SETTINGS, results, ratios };
  fs.writeFileSync(file, `${JSON.stringify({ ...document, analytics, floor: SETTINGS.floor, pass: summary.pass }, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file) || file}\n`);
}

main().then(
  async () => {
    if (interrupted) return;
    await withDeadline(cleanup(), 60_000, 'clean-up').catch((err: Error) => log(err.message));
    process.exit(0);
  },
  async (err: unknown) => {
    if (interrupted) return; // the signal handler cleans up and exits
    const kind = err instanceof StartupError || starting ? 'a pipeline failed to start' : 'the benchmark failed';
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\n[bench] ${kind}: ${message}\n`);
    if (!/exited unexpectedly/.test(message)) {
      for (const [label, l] of lines) if (l.tail.length && l.problemLines) process.stderr.write(`${l.text(label)}\n`);
    }
    await withDeadline(cleanup(), 60_000, 'clean-up').catch((e: Error) => log(e.message));
    process.exit(1);
  },
);
