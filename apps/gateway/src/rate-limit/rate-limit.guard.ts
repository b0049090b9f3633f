import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import type { AuthedRequest } from '../auth/auth-context';
import { bucketFor, limitFor, rateLimitHeader, rateLimitPolicyHeader, resetSeconds } from './rate-limit.policy';
import { RateLimiter } from './rate-limiter';

const WARN_EVERY_MS = 10_000;

/**
 * After the auth guard on message routes: counts the request in its bucket, sets RateLimit-Policy and
 * RateLimit on the response (whatever its status), and refuses with 429 + Retry-After past the limit.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (!req.auth) throw new Error('RateLimitGuard must run after an auth guard');
    const limit = limitFor(req.auth, this.config.rateLimitPerSecond);
    let state;
    try {
      state = await this.limiter.hit(bucketFor(req.auth, req.ip), limit);
    } catch (err) {
      // Fail open: a limiter that cannot count must not take the API down with it. The accept path
      // needs Redis anyway, so a Redis outage still answers 503 there.
      this.warnSometimes(err);
      return true;
    }
    res.setHeader('RateLimit-Policy', rateLimitPolicyHeader(limit));
    res.setHeader('RateLimit', rateLimitHeader(state));
    if (state.allowed) return true;
    const retryAfter = resetSeconds(state);
    res.setHeader('Retry-After', String(retryAfter));
    throw new DomainError(ErrorCode.RateLimited, `more than ${limit} requests per second; retry in ${retryAfter} s`);
  }

  private warnSometimes(err: unknown): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`rate limiting is off while Redis does not answer: ${(err as Error).message}`);
  }
}
