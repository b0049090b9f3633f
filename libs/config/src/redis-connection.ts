import type { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { AppConfig } from './app-config';

/**
 * Every Redis client of the platform is made here (the RPC transport, BullMQ, the change feed, the
 * rate limiter, the caches and counters), with one reconnect policy: try again for as long as the
 * process runs, 200 ms more each time, at most 2 s apart.
 */
export function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2_000);
}

/**
 * What a client is for decides how a command behaves while Redis is away:
 * - `command`: a request is waiting on it (rate limits, idempotency, throttle, counters): fail after one retry, so it can answer;
 * - `probe`: /readyz: fail at once, never queue behind a reconnect;
 * - `blocking`: BullMQ and pub/sub subscribers: wait for the reconnect (BullMQ requires it).
 */
export type RedisRole = 'command' | 'probe' | 'blocking';

/** ioredis options from a redis:// or rediss:// URL (Nest's transport takes host/port, not a URL). */
export function redisOptionsFromUrl(url: string): {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db?: number;
  tls?: object;
} {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(db !== undefined && !Number.isNaN(db) ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Plain options (not ioredis's type), so Nest's transport and BullMQ take them as they are. */
export type PlatformRedisOptions = ReturnType<typeof redisOptionsFromUrl> & {
  retryStrategy: (times: number) => number;
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
};

export function redisOptions(config: Pick<AppConfig, 'redisUrl'>, role: RedisRole): PlatformRedisOptions {
  const url = redisOptionsFromUrl(config.redisUrl);
  switch (role) {
    case 'command':
      return { ...url, retryStrategy: reconnectDelay, maxRetriesPerRequest: 1 };
    case 'probe':
      return { ...url, retryStrategy: reconnectDelay, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    case 'blocking':
      return { ...url, retryStrategy: reconnectDelay, maxRetriesPerRequest: null, enableOfflineQueue: true };
  }
}

/** A client that connects on first use (unless `lazyConnect: false`); `name` says whose it is in the outage log line. */
export function createRedis(
  config: Pick<AppConfig, 'redisUrl'>,
  name: string,
  role: RedisRole,
  extra: { connectionName?: string; lazyConnect?: boolean } = {},
): Redis {
  const redis = new Redis({ ...redisOptions(config, role), lazyConnect: true, ...extra });
  logRedisErrors(redis, name);
  return redis;
}

const ERROR_LOG_EVERY_MS = 30_000;

/**
 * An emitter's `error` events (an ioredis client, a BullMQ queue or worker) logged at most once per
 * 30 s each: a Redis outage is one line per client, not one per reconnect attempt, and never silent.
 */
export function logRedisErrors(emitter: EventEmitter, name: string): void {
  const logger = new Logger('Redis');
  let lastAt = 0;
  emitter.on('error', (err: Error) => {
    if (Date.now() - lastAt < ERROR_LOG_EVERY_MS) return;
    lastAt = Date.now();
    logger.warn(`${name}: ${err.message}`);
  });
}

/** At shutdown: QUIT, or just drop the socket when Redis is away (nothing is waiting on it any more). */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
