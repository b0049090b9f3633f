import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';

/**
 * Sends are spaced this much wider than 1/maxPerSecond, so the jitter between taking a slot and the
 * request reaching the provider cannot put maxPerSecond + 1 sends into one of the provider's seconds.
 */
export const SPACING_MARGIN = 1.2;

/**
 * GCRA (a leaky bucket without a timer) over Redis, one key per connector, shared by every worker:
 * returns 0 when a send may go now (and counts it), else how many whole ms to wait (at least 1).
 * Sends are spaced evenly (no burst), so no one-second window holds more than the limit. Time is
 * Redis's own, in microseconds, so workers agree and sub-millisecond waits are not lost to rounding.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - now
if wait > 0 then return math.ceil(wait / 1000) end
redis.call('SET', KEYS[1], string.format('%.0f', tat + interval), 'PX', math.ceil(interval / 1000) + 1000)
return 0
`;

/** Pushes the bucket's time forward: no send on this connector before `ms` from now (a provider's retry-after). */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_ = now + tonumber(ARGV[1]) * 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if until_ > tat then redis.call('SET', KEYS[1], string.format('%.0f', until_), 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

/**
 * Sends in flight per connector: a sorted set of leases scored by their expiry (Redis ms). Expired
 * leases (a worker that died mid-send) are dropped before counting, so a crashed worker's slot frees
 * itself. Returns 1 and adds the lease when a slot is free, else 0.
 */
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`;

/** Extends a lease still held (XX: a lease already dropped as expired is not brought back). */
const RENEW_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
return renewed
`;

/** How long a slot is held without renewal; renewed every third of it while the send runs. */
export const SLOT_LEASE_MS = 10_000;

type ThrottleRedis = Redis & {
  throttleAcquire(key: string, intervalUs: number): Promise<number>;
  throttlePause(key: string, ms: number): Promise<number>;
  slotTake(key: string, max: number, leaseMs: number, token: string): Promise<number>;
  slotRenew(key: string, leaseMs: number, token: string): Promise<number>;
};

/** A held send slot: release it when the send is over, whatever happened. */
export interface SendSlot {
  release(): Promise<void>;
}

@Injectable()
export class ConnectorThrottle implements OnApplicationShutdown {
  private readonly logger = new Logger(ConnectorThrottle.name);
  private readonly redis: ThrottleRedis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const redis = createRedis(config, 'connector throttle', 'command');
    redis.defineCommand('throttleAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('throttlePause', { numberOfKeys: 1, lua: PAUSE });
    redis.defineCommand('slotTake', { numberOfKeys: 1, lua: TAKE_SLOT });
    redis.defineCommand('slotRenew', { numberOfKeys: 1, lua: RENEW_SLOT });
    this.redis = redis as ThrottleRedis;
    this.prefix = `${config.redisPrefix}:throttle:`;
  }

  /** 0 if a send may go now (and it is counted), else ms to wait before asking again (never 0). */
  acquire(connectorId: string, perSecond: number): Promise<number> {
    const intervalUs = Math.ceil((1_000_000 * SPACING_MARGIN) / perSecond);
    return this.redis.throttleAcquire(this.prefix + connectorId, intervalUs).then(Number);
  }

  /** A provider asked us to wait: every worker holds this connector's sends for that long. */
  async pause(connectorId: string, ms: number): Promise<void> {
    await this.redis.throttlePause(this.prefix + connectorId, Math.ceil(ms));
  }

  /**
   * One of the connector's `max` in-flight slots, across all workers, or null when all are taken.
   * The lease is renewed while held, so a send slower than the lease keeps its slot.
   */
  async takeSlot(connectorId: string, max: number): Promise<SendSlot | null> {
    const key = `${this.prefix}${connectorId}:inflight`;
    const token = randomUUID();
    if (Number(await this.redis.slotTake(key, max, SLOT_LEASE_MS, token)) !== 1) return null;
    const renewal = setInterval(() => {
      // A missed renewal only lets the lease run out sooner: the slot frees itself, never sticks.
      this.redis.slotRenew(key, SLOT_LEASE_MS, token).catch((err: Error) => this.logger.warn(`send slot renewal failed: ${err.message}`));
    }, SLOT_LEASE_MS / 3);
    renewal.unref();
    return {
      release: async () => {
        clearInterval(renewal);
        await this.redis.zrem(key, token);
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
