import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { sha256Hex } from '@app/crypto';
import { resetSeconds, RateLimitState } from '../rate-limit/rate-limit.policy';
import { RateLimiter } from '../rate-limit/rate-limiter';

const MINUTE_MS = 60_000;
const LOGIN_WINDOW_MS = 15 * MINUTE_MS;
const WARN_EVERY_MS = 10_000;

/**
 * The limits that make guessing expensive (API.md "Sessions and abuse limits"): failed logins per email,
 * /auth/* per client IP, unknown API keys per client IP. Counted in Redis under the platform's prefix
 * with the same exact sliding window as the API rate limit, so every gateway shares each count.
 * Like the rate limit, a Redis that does not answer lets requests through (RPC needs Redis anyway).
 */
@Injectable()
export class AttemptLimits {
  private readonly logger = new Logger(AttemptLimits.name);
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /** Every /auth/* request, before its body is looked at. */
  async authRequest(ip: string | undefined, res: Response): Promise<void> {
    const limit = this.config.authLimits.requestsPerIpPerMinute;
    const state = await this.count(`auth:ip:${ip ?? 'unknown'}`, limit, MINUTE_MS);
    if (state && !state.allowed) refuse(res, state, `more than ${limit} requests to /auth per minute from this address`);
  }

  /**
   * A password check for `subject` (an email, a user): takes one of its failed-attempt slots before the
   * password is checked, so parallel guesses cannot all slip past the count, and gives it back unless
   * the attempt failed with `failure` (a correct password is not a failed attempt; an outage is not one either).
   */
  async passwordAttempt<T>(subject: string, res: Response, failure: ErrorCode, attempt: () => Promise<T>): Promise<T> {
    const limit = this.config.authLimits.failedLoginsPerEmail;
    const bucket = `login:${sha256Hex(subject.trim().toLowerCase())}`;
    const claimed = await this.count(bucket, limit, LOGIN_WINDOW_MS);
    if (claimed && !claimed.allowed) refuse(res, claimed, `more than ${limit} failed attempts for this account in 15 minutes`);
    const giveBack = () =>
      claimed ? this.limiter.release(bucket, claimed.member).catch((err: unknown) => this.warnSometimes(err)) : undefined;
    try {
      const result = await attempt();
      await giveBack();
      return result;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === failure)) await giveBack();
      throw err;
    }
  }

  /**
   * Verifies an API key the gateway has not seen lately, within the client address's budget of keys that
   * turn out not to exist (or to be revoked). The slot is taken first, so a parallel flood from one
   * address reaches verification at most `limit` times a minute; a key that verifies gives it back.
   */
  async keyAttempt<T>(ip: string | undefined, res: Response | undefined, verify: () => Promise<T | null>): Promise<T | null> {
    const limit = this.config.authLimits.unknownKeysPerIpPerMinute;
    const bucket = `unknownkey:ip:${ip ?? 'unknown'}`;
    const claimed = await this.count(bucket, limit, MINUTE_MS);
    if (claimed && !claimed.allowed) refuse(res, claimed, `more than ${limit} requests with unknown API keys per minute from this address`);
    let verified: T | null = null;
    try {
      verified = await verify();
      return verified;
    } finally {
      if (claimed && verified) await this.limiter.release(bucket, claimed.member).catch((err: unknown) => this.warnSometimes(err));
    }
  }

  private async count(bucket: string, limit: number, windowMs: number): Promise<(RateLimitState & { member: string }) | null> {
    try {
      const { state, member } = await this.limiter.claim(bucket, limit, windowMs);
      return { ...state, member };
    } catch (err) {
      this.warnSometimes(err);
      return null;
    }
  }

  private warnSometimes(err: unknown): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`attempt limits are off while Redis does not answer: ${(err as Error).message}`);
  }
}

function refuse(res: Response | undefined, state: RateLimitState, detail: string): never {
  const retryAfter = resetSeconds(state);
  res?.setHeader('Retry-After', String(retryAfter));
  throw new DomainError(ErrorCode.TooManyAttempts, `${detail}; retry in ${retryAfter} s`);
}
