import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig, ConfigModule } from '@app/config';
import { connectorQueueName, WEBHOOK_DELIVERIES_QUEUE } from '@app/contracts';
import { redisUrl } from '../../../test/support/databases';
import { ProducerConnection, SEND_QUEUE_NAMES, SendQueues, SendQueuesModule, WebhookDeliveryQueueModule } from './index';

/** The producer queues as an app gets them: both queue modules, as the webhooks app and the gateway import them. */
async function compileQueues() {
  const config = { redisUrl: redisUrl(), redisPrefix: `u${randomBytes(5).toString('hex')}` } as AppConfig;
  const module = await Test.createTestingModule({ imports: [ConfigModule, SendQueuesModule, WebhookDeliveryQueueModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  await module.init();
  const queues = [...SEND_QUEUE_NAMES, WEBHOOK_DELIVERIES_QUEUE].map((name) => module.get<Queue>(getQueueToken(name)));
  return { config, module, queues, producer: module.get(ProducerConnection).redis };
}

describe('QueuesModule', () => {
  it('gives every producer queue the platform prefix and one shared Redis connection', async () => {
    const { config, module, queues, producer } = await compileQueues();
    try {
      expect(queues.map((q) => q.opts.prefix)).toEqual(queues.map(() => `${config.redisPrefix}:bull`));
      // BullMQ wraps a client it is handed in one proxy per client, so one proxy means one socket.
      const clients = await Promise.all(queues.map((q) => q.client));
      expect(new Set(clients).size).toBe(1);
      expect(clients[0].status).toBe('ready');
      expect(producer.status).toBe('ready');
      expect(module.get(SendQueues).queue('smtp').name).toBe(connectorQueueName('smtp'));
      await module.get(SendQueues).addMany('smtp', []);
      expect(await module.get(SendQueues).depths()).toEqual({ telegram: 0, whatsapp: 0, twilio: 0, smtp: 0 });
    } finally {
      await module.close();
    }
  });

  it('closes every queue and the shared connection once on shutdown, without waiting', async () => {
    const { module, queues, producer } = await compileQueues();
    await Promise.all(queues.map((q) => q.waitUntilReady()));
    const closes = queues.map((q) => jest.spyOn(q, 'close'));
    const quit = jest.spyOn(producer, 'quit');
    const started = Date.now();
    await module.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(closes.map((c) => c.mock.calls.length)).toEqual(queues.map(() => 1));
    expect(quit).toHaveBeenCalledTimes(1);
    // QUIT answered; the socket closes right after.
    if (producer.status !== 'end') await new Promise((resolve) => producer.once('end', resolve));
  });
});
