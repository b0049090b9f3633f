import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { DailyClaim, RateLimiter } from './rate-limiter';

const DAY_MS = 86_400_000;

/** The UTC day a moment falls in, and the whole seconds left until the next one starts. */
export function utcDay(now: number): { day: string; secondsLeft: number } {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  return { day: new Date(start).toISOString().slice(0, 10), secondsLeft: Math.max(1, Math.ceil((start + DAY_MS - now) / 1000)) };
}

/**
 * A public key's daily cap. Anyone can copy a public key out of a web page, so besides the per-IP rate
 * limit its owner caps what it can cost them in a day. Only accepted messages count: a unit taken
 * for a request that is refused, fails, or is an idempotent replay is given back.
 */
@Injectable()
export class DailyLimit {
  private readonly logger = new Logger(DailyLimit.name);

  constructor(private readonly limiter: RateLimiter) {}

  async spend<T extends { replayed: boolean }>(keyId: string, limit: number, res: Response, send: () => Promise<T>): Promise<T> {
    const { day, secondsLeft } = utcDay(Date.now());
    let claim: DailyClaim | null;
    try {
      claim = await this.limiter.takeDaily(`key:${keyId}`, day, limit);
    } catch (err) {
      // As with the rate limit, a counter that cannot count fails open; accepting needs Redis anyway.
      this.logger.warn(`daily limits are off while Redis does not answer: ${(err as Error).message}`);
      return send();
    }
    if (!claim) {
      res.setHeader('Retry-After', String(secondsLeft));
      throw new DomainError(
        ErrorCode.DailyLimitReached,
        `this public key may send ${limit} messages a day; the limit resets at 00:00 UTC, in ${secondsLeft} s`,
      );
    }
    let outcome: T;
    try {
      outcome = await send();
    } catch (err) {
      await this.giveBack(claim);
      throw err;
    }
    if (outcome.replayed) await this.giveBack(claim);
    return outcome;
  }

  private async giveBack(claim: DailyClaim): Promise<void> {
    await this.limiter.giveBackDaily(claim).catch((err: Error) => this.logger.warn(`could not give back a daily unit: ${err.message}`));
  }
}
