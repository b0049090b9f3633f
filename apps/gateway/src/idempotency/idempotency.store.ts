import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';

export type IdempotencyRecord =
  { state: 'in-flight'; fingerprint: string } | { state: 'done'; fingerprint: string; status: number; body: unknown };

/**
 * How long a claim holds without an answer: well past the 10 s RPC timeout, so a live request always
 * finishes first, yet a gateway that dies mid-request does not lock the key for the whole TTL.
 */
export const IN_FLIGHT_TTL_MS = 60_000;

/** SET NX PX that hands back what is already there, in one atomic round trip (`SET … NX GET` needs Redis 7). */
const CLAIM = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
`;

type ClaimRedis = Redis & { idempotencyClaim(key: string, record: string, ttlMs: number): Promise<string | null> };

/** Idempotency records in Redis under `<prefix>:idem:<projectId>:<sha256(key)>`. */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnApplicationShutdown {
  private readonly redis: ClaimRedis;
  private readonly prefix: string;
  private readonly doneTtlMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const redis = createRedis(config, 'idempotency store', 'command');
    redis.defineCommand('idempotencyClaim', { numberOfKeys: 1, lua: CLAIM });
    this.redis = redis as ClaimRedis;
    this.prefix = `${config.redisPrefix}:idem:`;
    this.doneTtlMs = config.idempotencyTtlHours * 3_600_000;
  }

  async onModuleInit(): Promise<void> {
    // Redis may be away at start: the client keeps reconnecting, and a request meanwhile answers 503.
    await this.redis.connect().catch(() => undefined);
  }

  /** Claims `id` for a request with this fingerprint; returns the record already there instead, if any. */
  async claim(id: string, fingerprint: string): Promise<IdempotencyRecord | null> {
    const claim: IdempotencyRecord = { state: 'in-flight', fingerprint };
    const existing = await this.redis.idempotencyClaim(this.prefix + id, JSON.stringify(claim), IN_FLIGHT_TTL_MS);
    return existing === null ? null : (JSON.parse(existing) as IdempotencyRecord);
  }

  /** The first answer, kept for IDEMPOTENCY_TTL_HOURS to replay to retries. */
  async complete(id: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    const done: IdempotencyRecord = { state: 'done', fingerprint, status, body };
    await this.redis.set(this.prefix + id, JSON.stringify(done), 'PX', this.doneTtlMs);
  }

  /** Forgets the claim so the client may try again (the first attempt failed on our side). */
  async release(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
