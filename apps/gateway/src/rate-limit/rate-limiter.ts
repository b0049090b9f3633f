import { randomBytes } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';
import { RATE_LIMIT_WINDOW_MS, RateLimitState } from './rate-limit.policy';

/**
 * A sliding window log: one sorted set per bucket holding the time of each allowed request. Chosen
 * over a two-bucket sliding window counter because it is exact — never more than `limit` requests
 * in any 1 s span, and the reset time is known (the oldest entry + 1 s) rather than estimated — and
 * with a 1 s window its size is bounded by the limit and every step is O(log n).
 * Refused requests are not logged, so a client hammering through a 429 recovers after one window.
 * The clock is Redis's own, so every gateway agrees. Returns {allowed, remaining, resetMs}.
 */
const HIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return { allowed, math.max(limit - count, 0), reset }
`;

/**
 * A daily counter: takes one unit unless `limit` are taken already. Returns {taken, used}. A unit is
 * given back when the request it was taken for ends without a new message, so only accepted sends count.
 */
const TAKE_DAILY = `
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if used > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return { 0, used - 1 }
end
return { 1, used }
`;
const GIVE_BACK_DAILY = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;
/** A day's counter outlives its day a little, so a late give-back never recreates it. */
const DAILY_TTL_S = 2 * 86_400;

type LimiterRedis = Redis & {
  rateLimitHit(key: string, limit: number, windowMs: number, member: string): Promise<[number, number, number]>;
  takeDaily(key: string, limit: number, ttlSeconds: number): Promise<[number, number]>;
  giveBackDaily(key: string): Promise<number>;
};

/** One unit of a daily counter, to give back if the request it was taken for sent nothing. */
export interface DailyClaim {
  readonly counter: string;
}

/** Counts requests per bucket across every gateway: one EVALSHA (one round trip) per request. */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly redis: LimiterRedis;
  private readonly prefix: string;
  /** Entries must be unique within a set: this process's tag plus a counter. */
  private readonly memberTag = randomBytes(6).toString('base64url');
  private sequence = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const redis = createRedis(config, 'rate limiter', 'command');
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('takeDaily', { numberOfKeys: 1, lua: TAKE_DAILY });
    redis.defineCommand('giveBackDaily', { numberOfKeys: 1, lua: GIVE_BACK_DAILY });
    this.redis = redis as LimiterRedis;
    this.prefix = `${config.redisPrefix}:rl:`;
  }

  async onModuleInit(): Promise<void> {
    // Redis may be away at start: the client keeps reconnecting, and a request meanwhile answers 503.
    await this.redis.connect().catch(() => undefined);
  }

  /** `windowMs`: the API's limits are per second; a few routes count over longer windows. */
  async hit(bucket: string, limit: number, windowMs = RATE_LIMIT_WINDOW_MS): Promise<RateLimitState> {
    return (await this.claim(bucket, limit, windowMs)).state;
  }

  /** As `hit`, and names the entry it logged, so `release` can take back that one request (and no other). */
  async claim(bucket: string, limit: number, windowMs: number): Promise<{ state: RateLimitState; member: string }> {
    const member = `${this.memberTag}${(this.sequence++).toString(36)}`;
    const [allowed, remaining, resetMs] = await this.redis.rateLimitHit(this.prefix + bucket, limit, windowMs, member);
    return { state: { allowed: allowed === 1, remaining, resetMs }, member };
  }

  async release(bucket: string, member: string): Promise<void> {
    await this.redis.zrem(this.prefix + bucket, member);
  }

  /** `day` is the UTC date (YYYY-MM-DD) the unit counts against. Null when the day's limit is used up. */
  async takeDaily(bucket: string, day: string, limit: number): Promise<DailyClaim | null> {
    const counter = `${this.prefix}day:${bucket}:${day}`;
    const [taken] = await this.redis.takeDaily(counter, limit, DAILY_TTL_S);
    return taken === 1 ? { counter } : null;
  }

  async giveBackDaily(claim: DailyClaim): Promise<void> {
    await this.redis.giveBackDaily(claim.counter);
  }

  /**
   * For each bucket, whether this call is the first in `windowMs` across every gateway (SET NX PX,
   * one pipelined round trip): the gate for work that should happen at most once a window.
   */
  async firstInWindow(buckets: string[], windowMs: number): Promise<boolean[]> {
    if (buckets.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const bucket of buckets) pipeline.set(`${this.prefix}once:${bucket}`, '1', 'PX', windowMs, 'NX');
    const results = (await pipeline.exec()) ?? [];
    return buckets.map((_, i) => {
      const [err, reply] = results[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      return reply === 'OK';
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
