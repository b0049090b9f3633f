'use strict';
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
 * Writes bench/results/latest.json. Exits 0 even below the floor (it is a report); non-zero when a
 * pipeline cannot start or a process dies during the run.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, fork, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const Redis = require('ioredis');
const autocannon = require('autocannon');
const { benchAnalytics } = require('./analytics');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const APPS = ['management', 'dispatcher', 'worker', 'gateway'];

function positiveNumber(value, fallback) {
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
  order: (process.env.BENCH_ORDER || 'messagejs,minimal').split(',').map((s) => s.trim()),
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

const log = (line) => process.stdout.write(`[bench] ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function databaseUrl(name) {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The same URL with any password replaced, for messages. */
function redacted(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function withDeadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ─── Child processes ───────────────────────────────────────────────────────────────────────────

const children = [];
let stoppingChildren = false;
let rejectCrash;
/** Rejects as soon as any child exits on its own; every long step races against it. */
const crashed = new Promise((_, reject) => {
  rejectCrash = reject;
});
crashed.catch(() => undefined);

class Child {
  constructor(name, proc) {
    this.name = name;
    this.proc = proc;
    this.pid = proc.pid;
    this.tail = [];
    this.problemLines = 0;
    this.problems = [];
    this.exit = undefined;
    this.expectedExit = false;
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        if (!this.expectedExit && !stoppingChildren && !interrupted) {
          rejectCrash(new Error(`${name} (pid ${this.pid}) exited unexpectedly (${signal || `code ${code}`})${this.tailText()}`));
        }
        resolve(this.exit);
      });
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      if (!stream) continue;
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop();
        for (const line of lines) this.record(line);
      });
    }
  }

  record(line) {
    if (!line.trim()) return;
    // pino levels: 40 warn, 50 error, 60 fatal; anything on stderr from Nest's own logger counts too.
    if (/"level":\s*[456]0\b/.test(line) || /\b(?:ERROR|WARN|failed to start)\b/.test(line)) {
      this.problemLines++;
      if (this.problems.length < 5) this.problems.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
    }
    this.tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.tail.length > 30) this.tail.shift();
  }

  tailText() {
    return this.tail.length ? `\n--- last output of ${this.name} ---\n${this.tail.slice(-15).join('\n')}` : '';
  }

  alive() {
    return this.exit === undefined;
  }

  async stop(graceMs) {
    this.expectedExit = true;
    if (!this.alive()) return this.exit;
    this.proc.kill('SIGTERM');
    const result = await Promise.race([this.exited, sleep(graceMs).then(() => null)]);
    if (result) return result;
    this.proc.kill('SIGKILL');
    return this.exited;
  }
}

/** BENCH_CPU_PROF=<dir>: every pipeline process writes a V8 .cpuprofile there when it exits. */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];

function spawnApp(name, args, env) {
  const proc = spawn(process.execPath, [...PROFILE_ARGS, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = new Child(name, proc);
  children.push(child);
  return child;
}

/** fork() with IPC; resolves with the child once it reports {type:'ready', port}. */
async function forkReady(name, file, env, execArgv = []) {
  const proc = fork(file, [], { cwd: ROOT, env, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const child = new Child(name, proc);
  children.push(child);
  const ready = new Promise((resolve) => {
    proc.on('message', (msg) => {
      if (msg && msg.type === 'ready') resolve(msg.port);
    });
  });
  child.port = await withDeadline(Promise.race([ready, crashed]), 30_000, `${name} start-up`);
  return child;
}

function killAllNow() {
  for (const child of children) if (child.alive()) child.proc.kill('SIGKILL');
}

// ─── CPU accounting from /proc (Linux; silently empty elsewhere) ───────────────────────────────────

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100 */
}

function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

/** Pids of every process with this command name (machine-wide). */
function pidsByCommand(name) {
  try {
    return fs.readdirSync('/proc').filter((e) => {
      if (!/^\d+$/.test(e)) return false;
      try {
        return fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim() === name;
      } catch {
        return false; // exited meanwhile
      }
    });
  } catch {
    return [];
  }
}

function ticksOf(pids) {
  const out = new Map();
  for (const pid of pids) {
    const ticks = procTicks(pid);
    if (ticks !== undefined) out.set(String(pid), ticks);
  }
  return out;
}

/** Ticks spent between two per-pid maps; a pid that appeared in between counts from zero. */
function ticksBetween(a, b) {
  let sum = 0;
  for (const [pid, ticks] of b) sum += ticks - (a.get(pid) || 0);
  return sum;
}

/** Machine-wide ticks from /proc/stat: process time (user+nice+system), interrupts, steal, total. */
function machineTicks() {
  try {
    const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
    return {
      processes: user + nice + system,
      interrupts: irq + softirq,
      steal: steal || 0,
      idle: idle + iowait,
      total: user + nice + system + idle + iowait + irq + softirq + (steal || 0),
    };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL is counted as the backends serving this run's two databases (other users' sessions and
 * the server's shared background processes fall under "others"); Redis is one process for everyone.
 */
async function cpuSnapshot() {
  let backends = [];
  try {
    const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [
      createdDatabases,
    ]);
    backends = rows.map((r) => r.pid);
  } catch {
    /* no per-database figure then */
  }
  const perChild = {};
  for (const child of children) if (child.alive()) perChild[child.name] = procTicks(child.pid);
  perChild.harness = procTicks(process.pid);
  const services = { 'postgres (our DBs)': ticksOf(backends), 'redis-server (all)': ticksOf(pidsByCommand('redis-server')) };
  return { at: performance.now(), perChild, services, machine: machineTicks() };
}

/**
 * % of one core per process between two snapshots (200 = two cores busy). `others` is what the
 * machine spent beyond this benchmark's processes, PostgreSQL and Redis: other people's work on a
 * shared machine, which makes the run noisy when it is large.
 */
function cpuBetween(a, b, names) {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks) => Math.round((ticks / CLK_TCK / seconds) * 1000) / 10;
  const out = {};
  let ours = 0;
  let idle = 0;
  for (const [name, ticks] of Object.entries(b.perChild)) {
    if (ticks === undefined || a.perChild[name] === undefined) continue;
    ours += ticks - a.perChild[name];
    if (names && !names.includes(name)) {
      idle += ticks - a.perChild[name];
      (out.idleProcesses ??= {})[name] = pct(ticks - a.perChild[name]);
    } else {
      out[name] = pct(ticks - a.perChild[name]);
    }
  }
  if (names) out['other pipeline (idle)'] = pct(idle);
  for (const [name, pids] of Object.entries(b.services)) {
    const ticks = ticksBetween(a.services[name], pids);
    ours += ticks;
    out[name] = pct(ticks);
  }
  if (a.machine && b.machine && b.machine.total > a.machine.total) {
    const cores = os.cpus().length;
    const share = (field) => (b.machine[field] - a.machine[field]) / (b.machine.total - a.machine.total);
    out.machineBusyPercent = Math.round((1 - share('idle')) * 1000) / 10;
    // Loopback networking is mostly softirq time, charged to no process: shown apart, not as "others".
    out.interrupts = Math.round(share('interrupts') * cores * 1000) / 10;
    out.steal = Math.round(share('steal') * cores * 1000) / 10;
    out.others = Math.max(0, Math.round((share('processes') * cores * 100 - pct(ours)) * 10) / 10);
  }
  return out;
}

/** CPU milliseconds per message, load start → drained: each pipeline process, their sum, and the shared services. */
function cpuMsPerMessage(a, b, names, messages) {
  const perMessage = (ticks) => Math.round(((ticks / CLK_TCK) * 1000 * 100) / messages) / 100;
  const processes = {};
  let total = 0;
  for (const name of names) {
    if (a.perChild[name] === undefined || b.perChild[name] === undefined) continue;
    total += b.perChild[name] - a.perChild[name];
    processes[name] = perMessage(b.perChild[name] - a.perChild[name]);
  }
  const services = {};
  for (const [name, pids] of Object.entries(b.services)) services[name] = perMessage(ticksBetween(a.services[name], pids));
  return { processes, pipelineTotal: perMessage(total), services };
}

// ─── HTTP helpers ───────────────────────────────────────────────────────────────────────────────

async function http(method, url, { token, body, timeoutMs = 15_000 } = {}) {
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
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Retries while the platform is still coming up (connection refused, 502/503/504), up to a deadline. */
async function callUntil(method, url, options, expectStatus, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  let last;
  for (;;) {
    try {
      const res = await Promise.race([http(method, url, options), crashed]);
      if (res.status === expectStatus) return res.json;
      last = `HTTP ${res.status} ${res.text.slice(0, 300)}`;
      if (![502, 503, 504].includes(res.status)) break;
    } catch (err) {
      if (err && /exited unexpectedly/.test(err.message)) throw err;
      last = err && err.message ? err.message : String(err);
    }
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  throw new StartupError(`${method} ${new URL(url).pathname} did not answer ${expectStatus}: ${last}`);
}

function randomToken(length) {
  // base64url is exactly the alphabet Telegram tokens use after the colon: [A-Za-z0-9_-].
  return randomBytes(length).toString('base64url').slice(0, length);
}

// ─── Databases and Redis ────────────────────────────────────────────────────────────────────────

let admin;
const createdDatabases = [];
const pollers = [];
let redis;

async function createDatabase(name) {
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  createdDatabases.push(name);
}

async function dropDatabase(name) {
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } catch {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  }
}

async function connectPoller(name) {
  const client = new Client({ connectionString: databaseUrl(name) });
  client.on('error', () => undefined);
  await client.connect();
  pollers.push(client);
  return client;
}

async function deleteRedisKeys(prefix) {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function counts(db) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM messages`,
  );
  return rows[0];
}

/**
 * Polls until every row in the pipeline's table is final (sent or failed) and at least `minSent`
 * are sent. `unfinishedSql` is the cheap form of the poll (MessageJS's partial index answers it
 * without a table scan); the full count confirms at the end.
 */
async function waitDrained(p, minSent, capMs) {
  const start = performance.now();
  for (;;) {
    const { rows } = await Promise.race([p.db.query(p.unfinishedSql), crashed]);
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

function baseEnv() {
  const env = { ...process.env };
  for (const key of MESSAGEJS_ENV_KEYS) delete env[key];
  return env;
}

async function startMessageJs(stubUrl) {
  for (const app of APPS) {
    const file = path.join(ROOT, 'dist', 'apps', app, 'main.js');
    if (!fs.existsSync(file))
      throw new StartupError(`${path.relative(ROOT, file)} is missing: run \`npm run build\` first (or \`npm run bench\`)`);
  }
  await createDatabase(NAMES.messagejsDb);
  const port = await freePort();
  const env = {
    ...baseEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(NAMES.messagejsDb),
    REDIS_URL,
    REDIS_PREFIX: NAMES.messagejsPrefix,
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MESSAGEJS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WORKER_CONCURRENCY: String(SETTINGS.workerConcurrency),
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  const main = (app) => path.join('dist', 'apps', app, 'main.js');

  log('MessageJS: applying migrations');
  const migrate = spawnApp('migrate', [main('management'), 'migrate'], env);
  migrate.expectedExit = true;
  const migrated = await withDeadline(migrate.exited, 60_000, 'migrations');
  if (migrated.code !== 0) throw new StartupError(`migrations failed (${migrated.signal || `code ${migrated.code}`})${migrate.tailText()}`);
  children.splice(children.indexOf(migrate), 1);

  log('MessageJS: starting management, dispatcher, worker, gateway');
  const apps = {};
  for (const app of APPS) {
    apps[app] = spawnApp(app, [main(app)], {
      ...env,
      ...(app === 'gateway' ? { PORT: String(port) } : {}),
      ...(app === 'worker' ? { CONNECTORS: 'telegram' } : {}),
    });
  }
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
      body: { type: 'telegram', name: 'bench telegram', credentials: { botToken }, config: { baseUrl: stubUrl, maxPerSecond: 100000 } },
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
    analyticsTarget: { baseUrl: base, accessToken, projectId: project.id, connectorId: connector.id, env },
    apiKey: key,
    botToken,
    processes: APPS.map((a) => apps[a]),
    db: await connectPoller(NAMES.messagejsDb),
    unfinishedSql: `SELECT count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending')`,
  };
}

async function startMinimal(stubUrl) {
  await createDatabase(NAMES.minimalDb);
  const apiKey = `mjs_sk_${randomToken(40).replace(/[^A-Za-z0-9]/g, 'x')}`;
  const botToken = `654321:${randomToken(35)}`;
  const env = {
    ...baseEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(NAMES.minimalDb),
    REDIS_URL,
    REDIS_PREFIX: NAMES.minimalPrefix,
    API_KEY: apiKey,
    PROVIDER_URL: stubUrl,
    BOT_TOKEN: botToken,
    WORKER_CONCURRENCY: String(SETTINGS.workerConcurrency),
    PORT: '0',
  };
  const file = path.join(__dirname, 'minimal-pipeline.js');
  let processes;
  if (SETTINGS.minimalProcesses === 2) {
    log('minimal: starting (HTTP and worker as two processes)');
    // One after the other: both create the table if it is missing.
    processes = [await forkReady('minimal-api', file, { ...env, ROLE: 'api' }, PROFILE_ARGS)];
    processes.push(await forkReady('minimal-worker', file, { ...env, ROLE: 'worker' }, PROFILE_ARGS));
  } else {
    log('minimal: starting');
    processes = [await forkReady('minimal', file, { ...env, ROLE: 'all' }, PROFILE_ARGS)];
  }
  const child = processes[0];
  const url = `http://127.0.0.1:${child.port}/messages`;
  const db = await connectPoller(NAMES.minimalDb);
  const probe = await callUntil('POST', url, { token: apiKey, body: JSON.parse(SETTINGS.body) }, 202);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await db.query('SELECT status FROM messages WHERE id = $1', [probe.id]);
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

let runningLoad;

function load(p, durationS) {
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

async function vacuum(p) {
  await p.db.query('VACUUM ANALYZE messages').catch(() => undefined);
}

async function measure(p) {
  log(`${p.label}: warm-up ${SETTINGS.warmupS} s`);
  await Promise.race([load(p, SETTINGS.warmupS), crashed]);
  const warm = await waitDrained(p, 0, 60_000);
  if (!warm.drained) log(`${p.label}: warning: the warm-up had not drained after 60 s (${warm.sent}/${warm.total} sent)`);
  await vacuum(p);
  const before = await counts(p.db);

  log(`${p.label}: load ${SETTINGS.durationS} s, ${SETTINGS.connections} connections`);
  const cpu0 = await cpuSnapshot();
  const t0 = performance.now();
  const result = await Promise.race([load(p, SETTINGS.durationS), crashed]);
  const cpu1 = await cpuSnapshot();
  const accepted = result['2xx'];
  log(`${p.label}: ${accepted} accepted; waiting until they are all sent (at most ${SETTINGS.drainCapS} s from load start)`);
  const drain = await waitDrained(p, before.sent + accepted, Math.max(0, SETTINGS.drainCapS * 1000 - (performance.now() - t0)));
  const cpu2 = await cpuSnapshot();
  const e2eSeconds = (drain.at - t0) / 1000;
  const tableStats = (
    await p.db.query(
      `SELECT n_tup_ins AS inserts, n_tup_upd AS updates, n_tup_hot_upd AS "hotUpdates", pg_total_relation_size(relid) AS bytes
         FROM pg_stat_user_tables WHERE relname = 'messages'`,
    )
  ).rows[0];
  await vacuum(p); // so autovacuum of this table does not land in the next pipeline's window

  const cpuNames = [...p.processes.map((c) => c.name), 'stub', 'harness'];
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats || {}).map(([code, s]) => [code, s.count]));
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
      msPerMessage: accepted
        ? cpuMsPerMessage(
            cpu0,
            cpu2,
            p.processes.map((c) => c.name),
            accepted,
          )
        : null,
    },
  };
}

// ─── Report ─────────────────────────────────────────────────────────────────────────────────────

const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('   '))
    .join('\n');
}

function report(results, meta) {
  const mjs = results.messagejs;
  const min = results.minimal;
  const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
  const acceptedRatio = ratio(mjs.acceptedPerSecond, min.acceptedPerSecond);
  const e2eRatio = ratio(mjs.endToEnd.messagesPerSecond, min.endToEnd.messagesPerSecond);
  const pass = acceptedRatio !== null && e2eRatio !== null && acceptedRatio >= SETTINGS.floor && e2eRatio >= SETTINGS.floor;

  const rows = [['pipeline', 'accepted/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'accepted', 'e2e s', 'e2e msgs/s']];
  for (const r of [mjs, min]) {
    rows.push([
      r.pipeline === 'messagejs' ? 'MessageJS' : 'minimal',
      fmt(r.acceptedPerSecond, 1),
      fmt(r.latencyMs.p50),
      fmt(r.latencyMs.p99),
      fmt(r.non2xx),
      fmt(r.errors), // socket errors, timeouts included
      fmt(r.accepted),
      r.endToEnd.drained ? fmt(r.endToEnd.seconds, 2) : `>${fmt(r.endToEnd.seconds, 0)}`,
      r.endToEnd.drained ? fmt(r.endToEnd.messagesPerSecond, 1) : 'NOT DRAINED',
    ]);
  }
  const x = (v) => (v === null ? 'n/a' : `${v.toFixed(2)}×`);
  const lines = [
    '',
    `MessageJS vs minimal pipeline — ${SETTINGS.connections} connections, ${SETTINGS.durationS} s (+${SETTINGS.warmupS} s warm-up), worker concurrency ${SETTINGS.workerConcurrency}`,
    `machine: ${meta.cpus} × ${meta.cpuModel}, node ${process.version}, ${meta.postgres}, redis ${meta.redis}`,
    '',
    table(rows),
    '',
    `ratio MessageJS ÷ minimal:  accepted/s ${x(acceptedRatio)}   e2e msgs/s ${x(e2eRatio)}`,
    `floor ${SETTINGS.floor}×: ${pass ? 'PASS' : 'FAIL'}`,
    '',
    `CPU, % of one core (${meta.cpus} cores = ${meta.cpus * 100}%), load window | drain window ("others": the rest of the machine — other users, shared PostgreSQL processes):`,
  ];
  for (const r of [mjs, min]) {
    const names = Object.keys(r.cpu.load).filter(
      (n) => !['machineBusyPercent', 'idleProcesses'].includes(n) && !(n === 'steal' && r.cpu.load.steal < 1 && r.cpu.drain.steal < 1),
    );
    const parts = names.map((n) => `${n} ${fmt(r.cpu.load[n])}|${fmt(r.cpu.drain[n])}`);
    lines.push(`  ${r.pipeline === 'messagejs' ? 'MessageJS' : 'minimal  '}  ${parts.join('  ')}`);
    lines.push(`             machine busy ${fmt(r.cpu.load.machineBusyPercent)}%|${fmt(r.cpu.drain.machineBusyPercent)}% of all cores`);
    if (r.cpu.msPerMessage) {
      const m = r.cpu.msPerMessage;
      const own = Object.entries(m.processes).map(([k, v]) => `${k} ${fmt(v, 2)}`);
      const shared = Object.entries(m.services).map(([k, v]) => `${k} ${fmt(v, 2)}`);
      lines.push(
        `             CPU ms per message, load start → drained: ${own.join(', ')}; pipeline total ${fmt(m.pipelineTotal, 2)}; ${shared.join(', ')}`,
      );
    }
  }
  for (const r of [mjs, min]) {
    const e = r.endToEnd;
    const notes = [];
    if (r.non2xx) notes.push(`status codes ${JSON.stringify(r.statusCodes)}`);
    if (e.failedInWindow) notes.push(`${e.failedInWindow} messages failed`);
    // Requests still in flight when the load stops get no answer yet may land (one per connection at most).
    if (e.rowsInWindow < r.accepted || e.rowsInWindow > r.accepted + SETTINGS.connections) {
      notes.push(
        `${e.rowsInWindow} rows written for ${r.accepted} 2xx answers${e.rowsInWindow < r.accepted ? ' — accepted messages are missing' : ''}`,
      );
    }
    if (r.providerCalls !== null && r.providerCalls !== r.sentTotal)
      notes.push(`${r.providerCalls} provider calls for ${r.sentTotal} sent messages (probe and warm-up included)`);
    if (!e.drained) notes.push(`did not drain within ${SETTINGS.drainCapS} s: ${e.sentInWindow} of ${r.accepted} sent`);
    if (notes.length) lines.push(`  note ${r.pipeline}: ${notes.join('; ')}`);
  }
  const noisy = [mjs, min].filter((r) => r.cpu.load.others > 25 || r.cpu.drain.others > 25);
  if (noisy.length) {
    lines.push(
      `  warning: other work on this machine used CPU during ${noisy.map((r) => r.pipeline).join(' and ')} ("others" above); the ratio is noisier than usual`,
    );
  }
  return { text: lines.join('\n'), acceptedRatio, e2eRatio, pass };
}

// ─── Main and clean-up ──────────────────────────────────────────────────────────────────────────

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    stoppingChildren = true;
    if (runningLoad) runningLoad.stop();
    await Promise.allSettled(children.map((c) => c.stop(c.name === 'worker' || c.name === 'minimal' ? 10_000 : 8_000)));
    await Promise.allSettled(pollers.map((c) => c.end()));
    if (admin) {
      for (const name of createdDatabases) {
        await dropDatabase(name).catch((err) => log(`could not drop database ${name}: ${err.message}`));
      }
      await admin.end().catch(() => undefined);
    }
    if (redis) {
      for (const prefix of [NAMES.messagejsPrefix, NAMES.minimalPrefix]) {
        await deleteRedisKeys(prefix).catch((err) => log(`could not delete Redis keys ${prefix}:*: ${err.message}`));
      }
      await redis.quit().catch(() => redis.disconnect());
    }
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) {
      killAllNow();
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping every child and cleaning up (again to force)`);
    withDeadline(cleanup(), 30_000, 'clean-up')
      .catch((err) => log(err.message))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
process.on('exit', killAllNow);

function stubStats(stub) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 2_000);
    stub.proc.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg && msg.type === 'stats' ? msg.sends : null);
    });
    stub.proc.send({ type: 'stats' });
  });
}

async function main() {
  const started = new Date();
  admin = new Client({ connectionString: DATABASE_URL });
  admin.on('error', () => undefined);
  await admin.connect().catch((err) => {
    throw new StartupError(`PostgreSQL at ${redacted(DATABASE_URL)} is not reachable: ${err.message}`);
  });
  const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: (times) => (times > 3 ? null : 200) });
  client.on('error', () => undefined);
  await client.connect().catch((err) => {
    client.disconnect();
    throw new StartupError(`Redis at ${redacted(REDIS_URL)} is not reachable: ${err.message}`);
  });
  redis = client; // only now does clean-up have keys to delete
  const redisVersion = ((await redis.info('server')).match(/redis_version:(\S+)/) || [])[1] || '?';

  const stub = await forkReady('stub', path.join(__dirname, 'provider-stub.js'), { ...baseEnv(), PORT: '0' });
  const stubUrl = `http://127.0.0.1:${stub.port}`;
  log(`provider stub on ${stubUrl}`);

  const pipelines = {};
  pipelines.messagejs = await startMessageJs(stubUrl);
  pipelines.minimal = await startMinimal(stubUrl);

  for (const child of children) {
    for (const line of new Set(child.problems.map((l) => l.slice(0, 200)))) log(`start-up warning from ${child.name}: ${line}`);
    child.problems = [];
    child.problemLines = 0;
  }

  const order = SETTINGS.order;
  starting = false;
  const results = {};
  for (const name of order) results[name] = await measure(pipelines[name]);

  // Each pipeline has its own bot token, so the stub can tell whose sends it answered.
  const sends = await stubStats(stub);
  for (const name of order) {
    results[name].providerCalls = sends ? sends[pipelines[name].botToken] || 0 : null;
    results[name].sentTotal = (await counts(pipelines[name].db)).sent;
    results[name].problemLogLines = Object.fromEntries(pipelines[name].processes.map((c) => [c.name, c.problemLines]));
    results[name].problemLogSamples = Object.fromEntries(
      pipelines[name].processes.filter((c) => c.problems.length).map((c) => [c.name, c.problems]),
    );
  }
  // Last: it writes a million messages into MessageJS's database, which the counts above must not see.
  const analytics = await benchAnalytics({ ...pipelines.messagejs.analyticsTarget, db: pipelines.messagejs.db, log });

  const meta = {
    cpus: os.cpus().length,
    cpuModel: (os.cpus()[0] || {}).model || '?',
    postgres: `PostgreSQL ${pgVersion}`,
    redis: redisVersion,
  };
  const summary = report(results, meta);
  process.stdout.write(`${summary.text}\n`);
  for (const name of order) {
    const noisy = Object.entries(results[name].problemLogLines).filter(([, n]) => n > 0);
    if (noisy.length) {
      process.stdout.write(`  warn/error log lines (${name}): ${noisy.map(([app, n]) => `${app} ${n}`).join(', ')}; first ones:\n`);
      for (const [app, samples] of Object.entries(results[name].problemLogSamples))
        for (const line of samples.slice(0, 2)) process.stdout.write(`    ${app}: ${line}\n`);
    }
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'latest.json');
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: {
          cpus: meta.cpus,
          cpuModel: meta.cpuModel,
          node: process.version,
          postgres: pgVersion,
          redis: redisVersion,
          platform: `${os.platform()} ${os.release()}`,
        },
        settings: SETTINGS,
        results,
        ratios: { acceptedPerSecond: summary.acceptedRatio, endToEndPerSecond: summary.e2eRatio },
        analytics,
        floor: SETTINGS.floor,
        pass: summary.pass,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file) || file}\n`);
}

main().then(
  async () => {
    if (interrupted) return;
    await withDeadline(cleanup(), 60_000, 'clean-up').catch((err) => log(err.message));
    process.exit(0);
  },
  async (err) => {
    if (interrupted) return; // the signal handler cleans up and exits
    const kind = err instanceof StartupError || starting ? 'a pipeline failed to start' : 'the benchmark failed';
    process.stderr.write(`\n[bench] ${kind}: ${err && err.message ? err.message : String(err)}\n`);
    if (!(err && /exited unexpectedly/.test(err.message))) {
      for (const child of children)
        if (child.tail.length && (child.problemLines || !child.alive())) process.stderr.write(`${child.tailText()}\n`);
    }
    await withDeadline(cleanup(), 60_000, 'clean-up').catch((e) => log(e.message));
    process.exit(1);
  },
);
