import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';

/** Cluster-wide sent/failed counters kept in Redis, so the gateway's /metrics shows every worker's. */
@Injectable()
export class SendMetrics implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined);
    this.key = `${config.redisPrefix}:metrics`;
  }

  sent(connector: string): void {
    this.redis.hincrby(`${this.key}:sent`, connector, 1).catch(() => undefined);
  }

  failed(connector: string): void {
    this.redis.hincrby(`${this.key}:failed`, connector, 1).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
