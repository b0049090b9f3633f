import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { sha256Hex } from '@app/crypto';
import { Problem } from '../http/problem';
import { ProblemFilter } from '../http/problem.filter';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, REPLAYED_HEADER, requestFingerprint } from './idempotency-key';
import { IdempotencyRecord, IdempotencyStore } from './idempotency.store';

/** What the work is told about the request's key: SHA-256 of the key and of the request. */
export interface IdempotencyTag {
  key: string;
  fingerprint: string;
}

/** A replay is what the route answered the first time: its success body or a problem. */
export type IdempotentOutcome<T> = { replayed: false; body: T } | { replayed: true; body: T | Problem };

/**
 * `Idempotency-Key` (IETF httpapi idempotency draft, Stripe's semantics), scoped per project. The first
 * request claims the key (one round trip); its answer, success or 4xx, is kept (one more) and replayed
 * to every retry with the same body. A 5xx releases the key so the client may retry; the work gets the
 * key too, so an accept that did land although its answer was lost (a timeout) is found by the retry
 * in the database rather than made twice. Without the header a request costs nothing here.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly problems: ProblemFilter,
  ) {}

  async run<T>(req: Request, res: Response, projectId: string, work: (tag?: IdempotencyTag) => Promise<T>): Promise<IdempotentOutcome<T>> {
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    if (key === undefined) return { replayed: false, body: await work() };
    const keyHash = sha256Hex(key);
    const id = `${projectId}:${keyHash}`;
    const fingerprint = requestFingerprint(`${req.method} ${req.path}`, req.body);

    let existing: IdempotencyRecord | null;
    try {
      existing = await this.store.claim(id, fingerprint);
    } catch (err) {
      this.logger.warn(`cannot claim an Idempotency-Key: ${(err as Error).message}`);
      throw new DomainError(ErrorCode.Unavailable, 'Idempotency-Key cannot be checked right now; retry the request');
    }
    if (existing) return { replayed: true, body: this.replay(existing, fingerprint, res) as T | Problem };

    let body: T;
    try {
      body = await work({ key: keyHash, fingerprint });
    } catch (err) {
      const problem = this.problems.toProblem(err, req);
      const settled = problem.status < 500 ? this.store.complete(id, fingerprint, problem.status, problem) : this.store.release(id);
      await settled.catch((e: Error) => this.logger.warn(`cannot settle an Idempotency-Key: ${e.message}`));
      throw err;
    }
    // Awaited, so a retry sent the moment this answer arrives finds it rather than a 409.
    await this.store.complete(id, fingerprint, res.statusCode, body).catch((e: Error) => {
      this.logger.warn(`cannot store an idempotent answer (retries see 409 until the claim expires): ${e.message}`);
    });
    return { replayed: false, body };
  }

  private replay(record: IdempotencyRecord, fingerprint: string, res: Response): unknown {
    if (record.fingerprint !== fingerprint) {
      throw new DomainError(ErrorCode.ValidationFailed, `this ${IDEMPOTENCY_KEY_HEADER} was used with a different request body`, [
        { field: IDEMPOTENCY_KEY_HEADER, message: 'was used with a different request body' },
      ]);
    }
    if (record.state === 'in-flight') {
      res.setHeader('Retry-After', '1');
      throw new DomainError(ErrorCode.Conflict, `a request with this ${IDEMPOTENCY_KEY_HEADER} is still in progress`);
    }
    res.status(record.status).setHeader(REPLAYED_HEADER, 'true');
    if (record.status >= 400) res.type('application/problem+json');
    return record.body;
  }
}
