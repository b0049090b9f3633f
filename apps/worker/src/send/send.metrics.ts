import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';
import { recordBackgroundFailure } from '@app/observability';

const FLUSH_EVERY_MS = 1_000;

/**
 * Cluster-wide sent/failed counters kept in Redis, so the gateway's /metrics shows every worker's.
 * Counted in memory and added to Redis once a second, not once per message.
 */
@Injectable()
export class SendMetrics implements OnApplicationShutdown {
  private readonly logger = new Logger(SendMetrics.name);
  private readonly redis: Redis;
  private readonly key: string;
  private pending = { sent: new Map<string, number>(), failed: new Map<string, number>() };
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedis(config, 'send counters', 'command');
    this.key = `${config.redisPrefix}:metrics`;
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
  }

  sent(connector: string): void {
    this.add('sent', connector, 1);
  }

  failed(connector: string): void {
    this.add('failed', connector, 1);
  }

  private add(kind: 'sent' | 'failed', connector: string, n: number): void {
    this.pending[kind].set(connector, (this.pending[kind].get(connector) ?? 0) + n);
  }

  private async flush(): Promise<void> {
    const { sent, failed } = this.pending;
    if (sent.size === 0 && failed.size === 0) return;
    this.pending = { sent: new Map(), failed: new Map() };
    const pipeline = this.redis.pipeline();
    for (const [connector, n] of sent) pipeline.hincrby(`${this.key}:sent`, connector, n);
    for (const [connector, n] of failed) pipeline.hincrby(`${this.key}:failed`, connector, n);
    try {
      await pipeline.exec();
    } catch (err) {
      // Kept for the next flush, so a Redis blip delays the counts instead of losing them.
      for (const [connector, n] of sent) this.add('sent', connector, n);
      for (const [connector, n] of failed) this.add('failed', connector, n);
      recordBackgroundFailure(this.logger, 'send-metrics', err);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await closeRedis(this.redis);
  }
}
