import { randomUUID } from 'node:crypto';
import { sendJobId } from '@app/contracts';
import { MessageEntity } from '@app/database';
import { SendQueues } from '@app/transport';
import { AppContext, compileApp, seedTenant, SeededTenant } from '../../../../test/support/app-context';
import { DispatcherModule } from '../dispatcher.module';
import { AcceptBatcher } from './accept-batcher';
import { NewMessage } from './message.repository';

// Under test: AcceptBatcher against the dispatcher's real PostgreSQL repository and BullMQ queues.
jest.setTimeout(30_000);

describe('AcceptBatcher', () => {
  let app: AppContext;
  let tenant: SeededTenant;
  let batcher: AcceptBatcher;
  let queues: SendQueues;

  beforeAll(async () => {
    app = await compileApp(DispatcherModule);
    tenant = await seedTenant(app, { type: 'telegram', credentials: { botToken: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' } });
    batcher = app.get(AcceptBatcher);
    queues = app.get(SendQueues);
  });

  afterAll(async () => {
    await app?.close();
  });

  const message = (overrides: Partial<NewMessage> = {}): NewMessage => ({
    id: randomUUID(),
    projectId: tenant.projectId,
    connectorId: tenant.connectorId,
    connectorType: 'telegram',
    to: '4242',
    body: 'hello',
    subject: null,
    metadata: null,
    whatsappTemplate: null,
    idempotency: null,
    createdAt: new Date(),
    ...overrides,
  });

  it('stores every message submitted together and answers only after the rows are committed', async () => {
    const batch = Array.from({ length: 25 }, () => message());
    const results = await Promise.all(batch.map((m) => batcher.submit(m)));
    expect(results).toEqual(batch.map(() => ({ stored: true })));
    const rows = await app.dataSource.getRepository(MessageEntity).findBy(batch.map((m) => ({ id: m.id })));
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.status === 'queued' && r.projectId === tenant.projectId)).toBe(true);
  });

  it('hands each stored message to its connector queue with the message id as job id', async () => {
    const m = message();
    await batcher.submit(m);
    const queue = queues.queue('telegram');
    // The hand-off follows the commit; wait for the job rather than for a fixed time.
    let job = await queue.getJob(sendJobId(m.id, 0));
    for (const deadline = Date.now() + 10_000; !job && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
      job = await queue.getJob(sendJobId(m.id, 0));
    }
    expect(job?.data).toMatchObject({ messageId: m.id, projectId: tenant.projectId, connectorId: tenant.connectorId, to: '4242' });
  });

  it('answers a repeated Idempotency-Key with the first message instead of storing a second', async () => {
    const idempotency = { key: `k-${randomUUID()}`, fingerprint: 'f1' };
    const first = message({ idempotency });
    expect(await batcher.submit(first)).toEqual({ stored: true });
    const again = await batcher.submit(message({ idempotency }));
    expect(again).toMatchObject({ stored: false, match: { message: { id: first.id }, fingerprint: 'f1' } });
    expect(
      await app.dataSource.getRepository(MessageEntity).countBy({ projectId: tenant.projectId, idempotencyKey: idempotency.key }),
    ).toBe(1);
  });

  it('stores one of two same-key requests of one batch and matches the other to it', async () => {
    const idempotency = { key: `k-${randomUUID()}`, fingerprint: 'f2' };
    const [a, b] = [message({ idempotency }), message({ idempotency })];
    const results = await Promise.all([batcher.submit(a), batcher.submit(b)]);
    expect(results.filter((r) => r.stored)).toHaveLength(1);
    const matched = results.find((r) => !r.stored);
    const storedId = results[0].stored ? a.id : b.id;
    expect(matched).toMatchObject({ stored: false, match: { message: { id: storedId } } });
  });

  it('rejects every caller of a batch whose INSERT fails, and stores none of it', async () => {
    const good = message();
    const bad = message({ connectorId: 'not-a-uuid' });
    const outcomes = await Promise.allSettled([batcher.submit(good), batcher.submit(bad)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await app.dataSource.getRepository(MessageEntity).countBy({ id: good.id })).toBe(0);
  });

  it('keeps accepting after a failed batch', async () => {
    await expect(batcher.submit(message({ connectorId: 'not-a-uuid' }))).rejects.toBeDefined();
    await expect(batcher.submit(message())).resolves.toEqual({ stored: true });
  });
});
