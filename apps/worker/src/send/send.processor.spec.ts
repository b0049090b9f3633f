import { randomUUID } from 'node:crypto';
import { INestMicroservice } from '@nestjs/common';
import { Job } from 'bullmq';
import { SendJobData } from '@app/contracts';
import { ConnectorEntity, MessageEntity } from '@app/database';
import { redisOptions } from '@app/config';
import { PrefixedRedisServer, SendQueues } from '@app/transport';
import { TelegramFake } from '../../../../test/fakes/telegram.fake';
import { AppContext, compileApp, compileWith, seedTenant, SeededTenant } from '../../../../test/support/app-context';
import { AcceptBatcher } from '../../../dispatcher/src/messages/accept-batcher';
import { DispatcherModule } from '../../../dispatcher/src/dispatcher.module';
import { WorkerModule } from '../worker.module';
import { RetryLater } from './retry-policy';
import { SendProcessor } from './send.processor';

// Under test: SendProcessor with the worker's real connector loading, throttle (Redis) and outcome
// reporting over RPC to a real dispatcher; only the provider is a fake (the Telegram Bot API fake).
jest.setTimeout(30_000);

describe('SendProcessor', () => {
  let telegram: TelegramFake;
  let dispatcher: AppContext;
  let rpcServer: INestMicroservice;
  let worker: AppContext;
  let tenant: SeededTenant;
  let processor: SendProcessor;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    const token = telegram.addToken();
    dispatcher = await compileApp(DispatcherModule);
    const { config } = dispatcher;
    rpcServer = dispatcher.module.createNestMicroservice({
      strategy: new PrefixedRedisServer(config.redisPrefix, redisOptions(config, 'blocking')),
    });
    await rpcServer.listen();
    worker = await compileWith(WorkerModule, config);
    tenant = await seedTenant(dispatcher, { type: 'telegram', credentials: { botToken: token }, config: { baseUrl: telegram.baseUrl } });
    processor = worker.get(SendProcessor);
  });

  afterAll(async () => {
    await worker?.close();
    await rpcServer?.close();
    await dispatcher?.close();
    await telegram?.close();
  });

  /** Accepts a message through the dispatcher and returns its queued job, as a worker would receive it. */
  async function queuedJob(to = '4242', text = `hello ${randomUUID()}`, owner = tenant): Promise<Job<SendJobData>> {
    const id = randomUUID();
    await dispatcher.get(AcceptBatcher).submit({
      id,
      projectId: owner.projectId,
      connectorId: owner.connectorId,
      connectorType: 'telegram',
      to,
      body: text,
      subject: null,
      metadata: null,
      whatsappTemplate: null,
      idempotency: null,
      createdAt: new Date(),
    });
    const queue = dispatcher.get(SendQueues).queue('telegram');
    let job = await queue.getJob(id);
    for (const deadline = Date.now() + 10_000; !job && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
      job = await queue.getJob(id);
    }
    if (!job) throw new Error(`job ${id} never reached the queue`);
    return job;
  }

  const messageRow = (id: string) => dispatcher.dataSource.getRepository(MessageEntity).findOneByOrFail({ id });

  it('sends once through the provider and reports `sent` with the provider id before resolving', async () => {
    const job = await queuedJob('4242', 'one call');
    const before = telegram.requests.sendMessage ?? 0;
    await processor.process(job);
    expect((telegram.requests.sendMessage ?? 0) - before).toBe(1);
    expect(telegram.sent.at(-1)).toMatchObject({ chatId: '4242', text: 'one call' });
    const row = await messageRow(job.data.messageId);
    expect(row.status).toBe('sent');
    expect(row.externalId).toMatch(/^4242:\d+$/);
    expect(row.attempts).toBe(1);
  });

  it('asks for a retry on a retryable provider error and records the attempt as retrying', async () => {
    const job = await queuedJob();
    telegram.failNext('500');
    await expect(processor.process(job)).rejects.toBeInstanceOf(RetryLater);
    const row = await messageRow(job.data.messageId);
    expect(row.status).toBe('sending');
    expect(row.events.at(-1)?.detail).toMatch(/^attempt 1 failed: .*; retrying in \d+ s$/);
  });

  it('fails the message at once on a permanent provider error (no retry)', async () => {
    telegram.unknownChat('999');
    const job = await queuedJob('999');
    await processor.process(job);
    const row = await messageRow(job.data.messageId);
    expect(row.status).toBe('failed');
    expect(row.errorMessage).toMatch(/chat not found/);
  });

  it("answers a provider 429 with a retry after the provider's retry_after", async () => {
    // Its own connector: the pause it causes would hold the other tests' sends.
    const paused = await seedTenant(dispatcher, {
      type: 'telegram',
      credentials: { botToken: telegram.addToken() },
      config: { baseUrl: telegram.baseUrl },
    });
    const job = await queuedJob('4242', 'rate limited', paused);
    telegram.failNext('429', 1, { retryAfter: 3 });
    const err: unknown = await processor.process(job).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLater);
    expect((err as RetryLater).delayMs).toBe(3_000);
  });

  it('sends nothing for a recovered job whose message was already sent (a duplicate after a Redis restart)', async () => {
    const job = await queuedJob();
    await processor.process(job);
    const calls = telegram.requests.sendMessage;
    job.data = { ...job.data, recovered: true };
    await processor.process(job);
    expect(telegram.requests.sendMessage).toBe(calls);
  });

  it('reports an outcome kept in the job instead of calling the provider again', async () => {
    const job = await queuedJob();
    const calls = telegram.requests.sendMessage;
    const at = new Date().toISOString();
    job.data = {
      ...job.data,
      outcome: {
        projectId: tenant.projectId,
        messageId: job.data.messageId,
        attempt: 1,
        startedAt: at,
        finishedAt: at,
        result: 'sent',
        externalId: '4242:77',
      },
    };
    await processor.process(job);
    expect(telegram.requests.sendMessage).toBe(calls);
    expect(await messageRow(job.data.messageId)).toMatchObject({ status: 'sent', externalId: '4242:77' });
  });

  it('fails a message whose connector was deleted before the send, without calling any provider', async () => {
    const other = await seedTenant(dispatcher, {
      type: 'telegram',
      credentials: { botToken: telegram.addToken() },
      config: { baseUrl: telegram.baseUrl },
    });
    const job = await queuedJob();
    job.data = { ...job.data, projectId: other.projectId, connectorId: other.connectorId };
    await dispatcher.dataSource.getRepository(ConnectorEntity).delete({ id: other.connectorId });
    const calls = telegram.requests.sendMessage;
    await processor.process(job);
    expect(telegram.requests.sendMessage).toBe(calls);
  });
});
