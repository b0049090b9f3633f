import type { Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { createDataSource } from '@app/database';
import { serveHealth, watchConsumer } from '@app/observability';
import { adminUrl, redisUrl } from '../support/databases';
import { freePort } from './launch';

/** The per-app health server on HEALTH_PORT (API.md "Per-app health"), against the real PostgreSQL and Redis. */
describe('HEALTH_PORT server', () => {
  let server: Server | undefined;
  let dataSource: DataSource;
  let base: string;
  let running = true;
  const token = 'health-test-metrics-token';

  beforeAll(async () => {
    const port = await freePort();
    // This file's own module registry: the config is read from here once, as a worker's main.ts would.
    Object.assign(process.env, {
      DATABASE_URL: adminUrl(),
      REDIS_URL: redisUrl(),
      MESSAGEJS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      HEALTH_PORT: String(port),
      METRICS_TOKEN: token,
    });
    loadConfig('worker'); // as the worker's main.ts does first: no JWT_SECRET needed
    dataSource = await createDataSource(adminUrl(), { poolSize: 1 }).initialize();
    const app = { get: (what: unknown) => (what === DataSource ? dataSource : undefined) } as unknown as INestApplicationContext;
    server = await serveHealth(app, 'worker');
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await dataSource?.destroy();
  });

  it('is alive at once, but not ready while the app consumes nothing', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ postgres: 'up', redis: 'up', consuming: 'no' });
  });

  it('is ready while every consumer runs, and not as soon as one stops', async () => {
    watchConsumer({ name: 'connector.telegram', isRunning: () => running });
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', postgres: 'up', redis: 'up', consuming: 'yes' }]);
    running = false;
    const stopped = await fetch(`${base}/readyz`);
    expect([stopped.status, (await stopped.json()).consuming]).toEqual([503, 'no (connector.telegram)']);
    running = true;
  });

  it('serves /metrics only with the METRICS_TOKEN', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^messagejs_worker_consumers_running 1$/m);
  });
});
