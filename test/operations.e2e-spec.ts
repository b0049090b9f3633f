import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createDataSource } from '../libs/database/src/data-source';
import { createSuiteDatabase, databaseUrl, dropDatabase } from './support/databases';
import { Platform } from './support/platform';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');

describe('operations', () => {
  it('has migrations that match the entities exactly', async () => {
    const name = await createSuiteDatabase();
    const dataSource = createDataSource(databaseUrl(name));
    try {
      await dataSource.initialize();
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await dropDatabase(name);
    }
  });

  // Each app checks only the settings it reads: the encryption key is checked by the apps that hold credentials.
  it.each([
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters', 'gateway'],
    [{ MESSAGEJS_ENCRYPTION_KEY: 'AAAA' }, 'MESSAGEJS_ENCRYPTION_KEY must decode to exactly 32 bytes', 'management'],
    [{ PORT: 'eighty' }, 'PORT', 'gateway'],
    [{ DATABASE_URL: '' }, 'DATABASE_URL', 'gateway'],
  ])('stops an app with a one-line reason on a bad setting %j', (override, reason, app) => {
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl('unused'),
      JWT_SECRET: 'x'.repeat(40),
      MESSAGEJS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      ...override,
    };
    const run = spawnSync(process.execPath, [path.join(ROOT, `dist/apps/${app}/main.js`)], { env, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${app}: configuration error: `));
    expect(lines[0]).toContain(reason);
  });

  describe('a running platform', () => {
    let platform: Platform;

    beforeAll(async () => {
      platform = await Platform.start();
    });

    afterAll(() => platform?.stop());

    it('is alive and ready, and exposes Prometheus metrics', async () => {
      expect((await platform.request('GET', '/healthz')).status).toBe(200);
      const ready = await platform.request('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', postgres: 'up', redis: 'up' });
      const metrics = await platform.request('GET', '/metrics');
      expect(metrics.status).toBe(200);
      for (const name of [
        'messagejs_messages_accepted_total',
        'messagejs_messages_sent_total',
        'messagejs_messages_failed_total',
        'messagejs_accept_duration_seconds',
        'messagejs_queue_depth',
      ]) {
        expect(metrics.text).toContain(name);
      }
    });

    it('answers unknown routes with a 404 problem', async () => {
      const res = await platform.request('GET', 'nothing-here');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('exits 0 on SIGTERM, every app', async () => {
      for (const app of ['gateway', 'webhooks', 'worker', 'dispatcher', 'management'] as const) {
        expect([app, await platform.terminate(app)]).toEqual([app, 0]);
      }
    });
  });
});
