import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, register } from 'prom-client';
import { CONNECTOR_TYPES } from '@app/contracts';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';
import { SendQueues } from '@app/transport';

/** Prometheus metrics; sent/failed come from the workers' shared counters in Redis. */
@Injectable()
export class GatewayMetrics implements OnApplicationShutdown {
  /** This app's metrics and the default registry's, where shared ones live (messagejs_background_failures_total). */
  readonly registry = Registry.merge([new Registry(), register]);
  readonly accepted: Counter<'connector'>;
  readonly acceptLatency: Histogram;
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, queues: SendQueues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'messagejs_gateway_' });
    this.redis = createRedis(config, 'gateway metrics', 'command');
    const key = `${config.redisPrefix}:metrics`;
    const redis = this.redis;

    this.accepted = new Counter({
      name: 'messagejs_messages_accepted_total',
      help: 'Messages accepted (202) by connector type',
      labelNames: ['connector'],
      registers: [this.registry],
    });
    this.acceptLatency = new Histogram({
      name: 'messagejs_accept_duration_seconds',
      help: 'Time to durably accept a message (POST /messages)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    for (const [name, field] of [
      ['messagejs_messages_sent_total', 'sent'],
      ['messagejs_messages_failed_total', 'failed'],
    ] as const) {
      new Gauge({
        name,
        help: `Messages ${field} by connector type, across all workers`,
        labelNames: ['connector'],
        registers: [this.registry],
        async collect() {
          // Redis away: the scrape shows zeros for these two rather than failing the whole page.
          const counts = await redis.hgetall(`${key}:${field}`).catch((): Record<string, string> => ({}));
          for (const type of CONNECTOR_TYPES) this.set({ connector: type }, Number(counts[type] ?? 0));
        },
      });
    }
    new Gauge({
      name: 'messagejs_queue_depth',
      help: 'Jobs waiting, delayed or active per connector queue',
      labelNames: ['connector'],
      registers: [this.registry],
      async collect() {
        // Redis away: the gauge keeps its last values rather than failing the whole scrape.
        const depths = await queues.depths().catch(() => null);
        if (depths) for (const type of CONNECTOR_TYPES) this.set({ connector: type }, depths[type]);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
