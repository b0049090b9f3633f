import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';

/**
 * GCRA (a leaky bucket without a timer) over Redis, one key per connector, shared by every worker:
 * returns 0 when a send may go now, else how many ms to wait. Sends are spaced evenly (no burst), so
 * no one-second window ever holds more than the limit. The clock is Redis's own, so workers agree.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - burst - now
if wait > 0 then return wait end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now) + 1000)
return 0
`;

/** Pushes the bucket's time forward: no send on this connector before `ms` from now (a provider's retry-after). */
const PAUSE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local until_ = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if until_ > tat then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + tonumber(ARGV[2]) + 1000) end
return 0
`;

type ThrottleRedis = Redis & {
  throttleAcquire(key: string, intervalMs: number, burstMs: number): Promise<number>;
  throttlePause(key: string, ms: number, burstMs: number): Promise<number>;
};

@Injectable()
export class ConnectorThrottle implements OnApplicationShutdown {
  private readonly redis: ThrottleRedis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const redis = createRedis(config, 'connector throttle', 'command');
    redis.defineCommand('throttleAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('throttlePause', { numberOfKeys: 1, lua: PAUSE });
    this.redis = redis as ThrottleRedis;
    this.prefix = `${config.redisPrefix}:throttle:`;
  }

  /** 0 if a send may go now (and it is counted), else ms to wait before asking again. */
  acquire(connectorId: string, perSecond: number): Promise<number> {
    const interval = 1000 / perSecond;
    return this.redis.throttleAcquire(this.prefix + connectorId, interval, 0).then(Number);
  }

  /** A provider asked us to wait: every worker holds this connector's sends for that long. */
  async pause(connectorId: string, ms: number): Promise<void> {
    await this.redis.throttlePause(this.prefix + connectorId, Math.ceil(ms), 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
