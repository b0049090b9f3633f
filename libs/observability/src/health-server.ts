import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, register, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createRedis, loadConfig, PlatformApp } from '@app/config';

const CHECK_TIMEOUT_MS = 2_000;

/** Something this process consumes from (a BullMQ worker, the Redis-transport server). */
export interface Consumer {
  readonly name: string;
  isRunning(): boolean;
}

const consumers = new Set<Consumer>();

/** Counts a consumer toward /readyz: the app is ready only while every watched consumer runs. */
export function watchConsumer(consumer: Consumer): void {
  consumers.add(consumer);
}

function within<T>(promise: Promise<T>): Promise<boolean> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref());
  return Promise.race([promise, timeout]).then(
    () => true,
    () => false,
  );
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const sent = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The app's own /healthz, /readyz and /metrics on HEALTH_PORT (a no-op when it is unset), so an
 * orchestrator can probe every app, not only the gateway. /readyz is 200 only while PostgreSQL and
 * Redis answer, every consumer runs, and the app is not shutting down.
 */
export async function serveHealth(app: INestApplicationContext, name: PlatformApp, registry?: Registry): Promise<Server | undefined> {
  const config = loadConfig();
  if (!config.healthPort) return undefined;
  // The gateway has no DataSource (and Nest's get() aborts the process on a missing provider): it checks with one connection.
  const dataSource = name === 'gateway' ? null : app.get(DataSource);
  const pool = dataSource ? null : new Pool({ connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  pool?.on('error', () => undefined); // an idle probe connection lost: /readyz reports PostgreSQL on its next call
  const redis = createRedis(config, `${name} readiness probe`, 'probe');
  // The default registry holds what every app shares (messagejs_background_failures_total).
  const metrics = registry ?? Registry.merge([new Registry(), register]);
  if (!registry) collectDefaultMetrics({ register: metrics, prefix: `messagejs_${name}_` });
  new Gauge({
    name: `messagejs_${name}_consumers_running`,
    help: 'Queues and channels this process is consuming right now',
    registers: [metrics],
    collect() {
      this.set([...consumers].filter((c) => c.isRunning()).length);
    },
  });
  let closing = false;
  process.once('SIGTERM', () => (closing = true));
  process.once('SIGINT', () => (closing = true));

  const readiness = async () => {
    const [postgres, redisUp] = await Promise.all([
      within(dataSource ? dataSource.query('SELECT 1') : pool!.query('SELECT 1')),
      within(redis.status === 'ready' ? redis.ping() : redis.connect().then(() => redis.ping())),
    ]);
    const stopped = [...consumers].filter((c) => !c.isRunning()).map((c) => c.name);
    // The gateway consumes nothing; every other app is only useful while it consumes.
    const consuming = name === 'gateway' || (consumers.size > 0 && stopped.length === 0);
    return { postgres, redis: redisUp, consuming, stopped };
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') return reply(res, 405, { status: 'method not allowed' });
    if (path === '/healthz') return reply(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      void readiness().then(({ postgres, redis: redisUp, consuming, stopped }) => {
        const ok = postgres && redisUp && consuming && !closing;
        reply(res, ok ? 200 : 503, {
          status: ok ? 'ready' : 'unavailable',
          postgres: postgres ? 'up' : 'down',
          redis: redisUp ? 'up' : 'down',
          consuming: consuming ? 'yes' : `no${stopped.length ? ` (${stopped.join(', ')})` : ''}`,
          ...(closing ? { shutdown: 'in progress' } : {}),
        });
      });
      return;
    }
    if (path === '/metrics') {
      if (!authorized(req, config.metricsToken)) return reply(res, 401, { status: 'unauthorized' });
      void metrics
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text));
      return;
    }
    reply(res, 404, { status: 'not found' });
  });
  server.on('close', () => {
    void pool?.end().catch(() => undefined); // best effort: the process is exiting
    redis.disconnect();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.healthPort, '0.0.0.0', () => resolve());
  });
  return server;
}
