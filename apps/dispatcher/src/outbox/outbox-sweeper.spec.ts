import { randomUUID } from 'node:crypto';
import { MessageStatus } from '@app/contracts';
import { MessageEntity } from '@app/database';
import { startTracing } from '@app/observability';
import { SendQueues } from '@app/transport';
import { AppContext, compileApp, seedTenant, SeededTenant } from '../../../../test/support/app-context';
import { DispatcherModule } from '../dispatcher.module';
import { OutboxSweeper } from './outbox-sweeper';

// Under test: OutboxSweeper against real PostgreSQL rows and the real BullMQ queues (job id = message id).
jest.setTimeout(30_000);

describe('OutboxSweeper', () => {
  let app: AppContext;
  let tenant: SeededTenant;
  let sweeper: OutboxSweeper;
  let queues: SendQueues;

  beforeAll(async () => {
    startTracing('dispatcher', undefined); // as main.ts does: trace contexts are made and carried
    app = await compileApp(DispatcherModule, { OUTBOX_STALE_AFTER_MS: '600000' });
    tenant = await seedTenant(app, { type: 'telegram', credentials: { botToken: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' } });
    sweeper = app.get(OutboxSweeper);
    queues = app.get(SendQueues);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    // Each test starts from an empty outbox and empty queues.
    await app.dataSource.getRepository(MessageEntity).delete({ projectId: tenant.projectId });
    await queues.queue('telegram').obliterate({ force: true });
  });

  async function insert(
    status: MessageStatus,
    ageMs: number,
    enqueuedAt: Date | null,
    updatedAgeMs = ageMs,
    traceContext: string | null = null,
  ): Promise<string> {
    const id = randomUUID();
    const now = Date.now();
    await app.dataSource.getRepository(MessageEntity).insert({
      id,
      projectId: tenant.projectId,
      connectorId: tenant.connectorId,
      connectorType: 'telegram',
      to: '4242',
      body: 'from the outbox',
      subject: null,
      metadata: null,
      whatsappTemplate: null,
      status,
      events: [{ status: 'queued', at: new Date(now - ageMs).toISOString() }],
      createdAt: new Date(now - ageMs),
      updatedAt: new Date(now - updatedAgeMs),
      enqueuedAt,
      traceContext,
    });
    return id;
  }

  it('re-queues a committed message that never reached the queue, as a recovered job', async () => {
    const id = await insert('queued', 60_000, null);
    expect(await sweeper.sweep()).toBe(1);
    const job = await queues.queue('telegram').getJob(id);
    expect(job?.data).toMatchObject({ messageId: id, projectId: tenant.projectId, connectorId: tenant.connectorId, recovered: true });
  });

  it("re-queues a message in the trace it was accepted in, not the sweep's", async () => {
    const traceId = 'ab'.repeat(16);
    const id = await insert('queued', 60_000, null, 60_000, `00-${traceId}-${'cd'.repeat(8)}-01`);
    expect(await sweeper.sweep()).toBe(1);
    const job = await queues.queue('telegram').getJob(id);
    const [, jobTrace, parentSpan] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(job?.data.trace?.traceparent ?? '') ?? [];
    // A span of its own (the re-queue) in the message's trace: the worker's send continues from it.
    expect([jobTrace, parentSpan === 'cd'.repeat(8)]).toEqual([traceId, false]);
  });

  it('does not sweep the same message twice in a row (it is touched when re-queued)', async () => {
    await insert('queued', 60_000, null);
    expect(await sweeper.sweep()).toBe(1);
    expect(await sweeper.sweep()).toBe(0);
  });

  it('leaves a message still inside its enqueue grace period alone', async () => {
    const id = await insert('queued', 0, null);
    expect(await sweeper.sweep()).toBe(0);
    expect(await queues.queue('telegram').getJob(id)).toBeUndefined();
  });

  it('re-queues an enqueued message that has been quiet longer than OUTBOX_STALE_AFTER_MS', async () => {
    const quiet = await insert('sending', 700_000, new Date(Date.now() - 700_000));
    const recent = await insert('sending', 700_000, new Date(Date.now() - 700_000), 1_000);
    expect(await sweeper.sweep()).toBe(1);
    expect(await queues.queue('telegram').getJob(quiet)).toBeDefined();
    expect(await queues.queue('telegram').getJob(recent)).toBeUndefined();
  });

  it('never re-queues a finished message', async () => {
    for (const status of ['sent', 'delivered', 'read', 'failed'] as const) await insert(status, 700_000, null);
    expect(await sweeper.sweep()).toBe(0);
  });

  it('adding a message that is still queued changes nothing (same job id)', async () => {
    const id = await insert('queued', 60_000, null);
    await sweeper.sweep();
    await app.dataSource.getRepository(MessageEntity).update({ id }, { enqueuedAt: null });
    expect(await sweeper.sweep()).toBe(1);
    expect(await queues.queue('telegram').getJobCountByTypes('waiting', 'delayed', 'prioritized')).toBe(1);
  });

  it('works through more stale messages than one batch holds', async () => {
    const repo = app.dataSource.getRepository(MessageEntity);
    const createdAt = new Date(Date.now() - 60_000);
    const rows = Array.from({ length: 501 }, () => ({
      id: randomUUID(),
      projectId: tenant.projectId,
      connectorId: tenant.connectorId,
      connectorType: 'telegram' as const,
      to: '4242',
      body: 'bulk',
      subject: null,
      metadata: null,
      whatsappTemplate: null,
      status: 'queued' as const,
      events: [],
      createdAt,
      updatedAt: createdAt,
      enqueuedAt: null,
    }));
    await repo.insert(rows);
    expect(await sweeper.sweep()).toBe(501);
  });
});
