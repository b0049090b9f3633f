import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { QueueKeys } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig, envOf } from '@app/config';
import { connectorQueueName } from '@app/contracts';
import { bullPrefix } from '@app/transport';
import { TelegramFake } from '../fakes/telegram.fake';
import { createTenant } from '../support/tenant';
import {
  apiRequest,
  createEmptyDatabase,
  eventually,
  freePort,
  freshRedisPrefix,
  launch,
  Launched,
  stop,
  tail,
  waitUntilReady,
} from './launch';
import { readYamlDocuments } from './kustomize';
import { composeProcesses, k8sProcesses, ProcessSpec, readCompose, renderOverlay, ROOT } from './manifests';

jest.setTimeout(240_000);

interface Target {
  /** What the manifest's host names stand for here: the test's own database and Redis. */
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Values for Secret keys and .env variables (generated per run, never real). */
  secrets: Record<string, string>;
  configMap?: Record<string, string>;
}

/**
 * The environment a manifest gives a process, made runnable on this machine: service host names
 * (postgres, redis, the managed URLs in the Secret) point at the test's own database and Redis prefix,
 * and ports that would collide between processes on one host get free ones. Nothing is added that the
 * app does not read, except CONNECTOR_ALLOW_PRIVATE (the provider fake listens on loopback).
 */
async function runnableEnv(p: ProcessSpec, target: Target): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [name, source] of Object.entries(p.env)) {
    if ('value' in source) env[name] = source.value;
    else if ('configMap' in source) env[name] = target.configMap![source.key];
    else if (target.secrets[source.key] !== undefined) env[name] = target.secrets[source.key];
    else if (!source.optional) throw new Error(`${p.name}: no value for secret key ${source.key}`);
  }
  if (env.DATABASE_URL) {
    expect(new URL(env.DATABASE_URL).protocol).toBe('postgres:');
    env.DATABASE_URL = target.databaseUrl;
  }
  if (env.REDIS_URL) env.REDIS_URL = target.redisUrl;
  if ((envOf(p.scope) as string[]).includes('REDIS_PREFIX')) env.REDIS_PREFIX = target.redisPrefix;
  if (env.PORT) env.PORT = String(await freePort());
  if (env.HEALTH_PORT) env.HEALTH_PORT = String(await freePort());
  if ((envOf(p.scope) as string[]).includes('CONNECTOR_ALLOW_PRIVATE')) env.CONNECTOR_ALLOW_PRIVATE = 'true';
  return env;
}

/** migrate to completion first (compose: service_completed_successfully; k8s: the Job), then every app until ready. */
async function startAll(
  processes: ProcessSpec[],
  target: Target,
): Promise<{ running: Launched[]; gateway: string; healthPorts: Map<string, string> }> {
  const migrate = processes.find((p) => p.scope === 'migrate')!;
  const job = launch(migrate.name, migrate.command, await runnableEnv(migrate, target));
  const { code } = await job.process.closed;
  if (code !== 0) throw new Error(`migrate exited with ${code}\n${tail(job)}`);

  const running: Launched[] = [];
  const health: Array<{ process: Launched; url: string }> = [];
  let gateway = '';
  const healthPorts = new Map<string, string>();
  for (const p of processes.filter((x) => x.scope !== 'migrate')) {
    const env = await runnableEnv(p, target);
    const launched = launch(p.name, p.command, env);
    running.push(launched);
    const port = p.scope === 'gateway' ? env.PORT : env.HEALTH_PORT;
    if (p.scope === 'gateway') gateway = `http://127.0.0.1:${env.PORT}`;
    healthPorts.set(p.name, port);
    health.push({ process: launched, url: `http://127.0.0.1:${port}/readyz` });
  }
  try {
    await Promise.all(health.map(({ process, url }) => waitUntilReady(running, url, process)));
  } catch (err) {
    await Promise.all(running.map((r) => stop(r, 5_000)));
    throw err;
  }
  return { running, gateway, healthPorts };
}

async function sendThroughTelegram(gateway: string, telegram: TelegramFake): Promise<void> {
  const platform = { baseUrl: gateway, request: (method: string, url: string, options = {}) => apiRequest(gateway, method, url, options) };
  const tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
  const accepted = await platform.request('POST', 'messages', {
    token: tenant.apiKey,
    body: { to: '424242', message: 'Deployed and delivered', connector: 'telegram' },
  });
  expect(accepted.status).toBe(202);
  const sent = await eventually(async () => {
    const res = await platform.request('GET', `messages/${accepted.body.id}`, { token: tenant.apiKey });
    return ['sent', 'failed'].includes(res.body.status) ? res.body : undefined;
  }, 60_000);
  expect(sent.status).toBe('sent');
  expect(telegram.sent.map((m) => m.text)).toContain('Deployed and delivered');
}

async function stopAll(running: Launched[]): Promise<void> {
  const codes = await Promise.all(running.map(async (r) => [r.process.label, await stop(r)] as const));
  // Invariant 8: SIGTERM finishes in-flight work and exits 0.
  expect(codes.filter(([, code]) => code !== 0)).toEqual([]);
}

const secrets = {
  JWT_SECRET: 'deploy-test-jwt-secret-0123456789abcdef',
  MESSAGEJS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  METRICS_TOKEN: 'deploy-test-metrics-token',
};

describe('the manifests, executed as local processes', () => {
  let telegram: TelegramFake;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    telegram = await TelegramFake.start();
  });

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await telegram?.close();
  });

  it('docker-compose.yml: migrate on an empty database, every service ready on its health check, a message sent', async () => {
    const db = await createEmptyDatabase();
    const redis = freshRedisPrefix();
    cleanup.push(db.drop, redis.clear);
    const target = { databaseUrl: db.url, redisUrl: redis.url, redisPrefix: redis.prefix, secrets };
    const vars = { POSTGRES_PASSWORD: 'unused-locally', ...secrets };
    const { running, gateway } = await startAll(composeProcesses(readCompose(), vars), target);
    cleanup.push(() => Promise.all(running.map((r) => stop(r, 5_000))).then(() => undefined));
    await sendThroughTelegram(gateway, telegram);
    await stopAll(running);
  });

  it('k8s/overlays/production: the Job, then every Deployment ready on its probe port, a message sent, KEDA watching the right list', async () => {
    const objects = renderOverlay('production');
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>;
    const db = await createEmptyDatabase();
    const redis = freshRedisPrefix();
    cleanup.push(db.drop, redis.clear);
    // The Secret as the template shapes it (managed PostgreSQL and Redis URLs), with generated secrets.
    const template = readYamlDocuments(path.join(ROOT, 'k8s', 'base', 'secret.template.yaml'))[0].stringData as Record<string, string>;
    const target = { databaseUrl: db.url, redisUrl: redis.url, redisPrefix: redis.prefix, secrets: { ...template, ...secrets }, configMap };
    const { running, gateway, healthPorts } = await startAll(k8sProcesses(objects), target);
    cleanup.push(() => Promise.all(running.map((r) => stop(r, 5_000))).then(() => undefined));
    await sendThroughTelegram(gateway, telegram);

    // Every app's /metrics answers only with the METRICS_TOKEN the Secret gives it.
    const metrics = `http://127.0.0.1:${healthPorts.get('worker-telegram')}/metrics`;
    expect((await fetch(metrics)).status).toBe(401);
    const scrape = await fetch(metrics, { headers: { authorization: `Bearer ${secrets.METRICS_TOKEN}` } });
    expect(await scrape.text()).toMatch(/^messagejs_worker_consumers_running 1$/m);

    // The list the ScaledObject measures is the one a message really waits in: stop the telegram worker, send, and see it there.
    const worker = running.find((r) => r.process.label === 'worker-telegram')!;
    expect(await stop(worker)).toBe(0);
    const listName = new QueueKeys(bullPrefix({ redisPrefix: redis.prefix } as AppConfig)).toKey(connectorQueueName('telegram'), 'wait');
    const scaled = objects.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'worker-telegram')!;
    expect((scaled.spec as any).triggers[0].metadata.listName).toBe(listName.replace(redis.prefix, configMap.REDIS_PREFIX));
    const platform = {
      baseUrl: gateway,
      request: (method: string, url: string, options = {}) => apiRequest(gateway, method, url, options),
    };
    const tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: '1', message: 'waits', connector: 'telegram' },
    });
    expect(res.status).toBe(202);
    const client = new Redis(redis.url);
    try {
      await eventually(async () => (await client.llen(listName)) >= 1, 30_000);
    } finally {
      client.disconnect();
    }
    await stopAll(running.filter((r) => r !== worker));
  });
});

describe('the image', () => {
  it('runs every app with production dependencies only: each bundle requires only builtins and `dependencies`', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const apps = readdirSync(path.join(ROOT, 'dist', 'apps'));
    expect(apps.sort()).toEqual(['dispatcher', 'gateway', 'management', 'webhooks', 'worker']);
    for (const app of apps) {
      const bundle = readFileSync(path.join(ROOT, 'dist', 'apps', app, 'main.js'), 'utf8');
      const required = [...bundle.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]);
      const packages = new Set(required.map((r) => (r.startsWith('@') ? r.split('/').slice(0, 2).join('/') : r.split('/')[0])));
      const outside = [...packages].filter((name) => !builtinModules.includes(name.replace(/^node:/, '')) && !(name in pkg.dependencies));
      expect({ app, outside }).toEqual({ app, outside: [] });
    }
  });
});
