import { accessSync, constants, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { AppName, appMain, APPS, NodeProcess, REPO_ROOT } from '../app-process';
import { findFreePort, portIsFree } from '../ports';
import { RedisServerProcess, redisAnswers } from '../redis';
import { StartError } from '../start-error';
import { oneLine, redactUrl } from '../text';
import { sleep } from '../time';

const REDIS_FIRST_PORT = 6390;
const READY_TIMEOUT_MS = 60_000;

export function checkBuilt(apps: readonly AppName[] = APPS): void {
  for (const app of apps) {
    const main = appMain(app);
    if (!existsSync(main)) throw new StartError(`${path.relative(REPO_ROOT, main)} is missing: run npm run build (npm start does)`);
  }
}

/** PORT (default 3000), refused when taken: another gateway there would answer /readyz for us. */
export async function checkPort(raw = '3000'): Promise<number> {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new StartError(`PORT must be a number from 1 to 65535 (got ${raw})`);
  if (!(await portIsFree(port))) throw new StartError(`port ${port} is already in use: stop what uses it or set PORT`);
  return port;
}

export interface Provided {
  url: string;
  kind: string;
}

export interface RedisHooks {
  say(message: string): void;
  print(line: string): void;
  /** The redis-server we started, as soon as it runs (to stop it, and to notice if it dies). */
  started(server: RedisServerProcess): void;
  checkpoint(): void;
}

/** REDIS_URL when it answers PING, else a redis-server of our own when one is installed. */
export async function provideRedis(configured: string | undefined, hooks: RedisHooks): Promise<Provided> {
  const url = configured || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(url)) throw new StartError('REDIS_URL must be a redis:// URL');
  if (await redisAnswers(url, 2_000)) return { url, kind: 'external' };
  const bin = which('redis-server');
  if (!bin) {
    throw new StartError(
      `Redis is not reachable at ${redactUrl(url)} and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL`,
    );
  }
  hooks.say(`Redis is not reachable at ${redactUrl(url)}: starting ${bin}`);
  let port = await findFreePort(REDIS_FIRST_PORT);
  for (let attempt = 1; ; attempt++) {
    const server = new RedisServerProcess(port, bin, (line) => hooks.print(line));
    try {
      await server.start();
    } catch (err) {
      hooks.checkpoint();
      if (server.portWasTaken() && attempt < 5) {
        port = await findFreePort(port + 1);
        continue;
      }
      throw new StartError(oneLine(err));
    }
    hooks.started(server);
    hooks.say(`redis-server listening on 127.0.0.1:${port}`);
    return { url: server.url, kind: 'started' };
  }
}

/**
 * Ready means every app said it serves and the gateway's /readyz answers 200. /readyz alone is not
 * enough: it checks PostgreSQL and Redis, not whether the services behind the gateway listen yet, and
 * a request they miss (Redis pub/sub) would time out as a 503.
 */
export async function waitUntilServing(port: number, apps: NodeProcess[], checkpoint: () => void): Promise<void> {
  const ready = new Set<NodeProcess>();
  for (const app of apps)
    void app.ready.then(
      () => ready.add(app),
      () => undefined,
    );
  const url = `http://127.0.0.1:${port}/readyz`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    checkpoint();
    let last: string | undefined;
    try {
      const res = await httpGet(url, 2_000);
      if (res.status !== 200) last = `GET ${url}: HTTP ${res.status} ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`;
    } catch (err) {
      last = `GET ${url}: ${oneLine(err)}`;
    }
    const waiting = apps.filter((app) => !ready.has(app)).map((app) => app.label);
    if (!last && waiting.length === 0) return;
    last ||= `${waiting.join(', ')} not serving yet`;
    if (Date.now() > deadline) throw new StartError(`MessageJS was not ready within ${READY_TIMEOUT_MS / 1000} s (${last})`);
    await sleep(500);
  }
}

/** The dashboard first: it is where a newcomer starts. */
export function bannerLines(port: number, postgres: Provided, redis: Provided): string[] {
  const base = `http://localhost:${port}`;
  return [
    '',
    'MessageJS is running',
    `  Dashboard  ${base}/`,
    `  API        ${base}/api/v1`,
    `  Docs       ${base}/docs`,
    `  OpenAPI    ${base}/openapi.json`,
    `  Health     ${base}/readyz`,
    `  Metrics    ${base}/metrics`,
    `  PostgreSQL ${redactUrl(postgres.url)} (${postgres.kind})`,
    `  Redis      ${redactUrl(redis.url)} (${redis.kind})`,
    '',
    '',
  ];
}

/** node:http rather than fetch: fetch refuses "bad ports" (e.g. 22, 6000), which PORT may well be. */
function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}
