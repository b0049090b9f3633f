import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { ProblemFilter } from '../http/problem.filter';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyRecord, IdempotencyStore } from './idempotency.store';

/** The store's contract in memory: claim is get-or-set, complete overwrites, release deletes. */
class MemoryStore {
  readonly records = new Map<string, IdempotencyRecord>();
  failing = false;

  async claim(id: string, fingerprint: string): Promise<IdempotencyRecord | null> {
    if (this.failing) throw new Error('connection refused');
    const existing = this.records.get(id);
    if (existing) return existing;
    this.records.set(id, { state: 'in-flight', fingerprint });
    return null;
  }
  async complete(id: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    this.records.set(id, { state: 'done', fingerprint, status, body });
  }
  async release(id: string): Promise<void> {
    this.records.delete(id);
  }
}

function request(body: unknown, key?: string): Request {
  const headers = key === undefined ? {} : { 'idempotency-key': key };
  return { method: 'POST', path: '/api/v1/messages', originalUrl: '/api/v1/messages', headers, body } as unknown as Request;
}

function response(): Response & { headers: Record<string, string>; sentType?: string } {
  const res = {
    statusCode: 202,
    headers: {} as Record<string, string>,
    sentType: undefined as string | undefined,
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    setHeader(name: string, value: string) {
      res.headers[name] = value;
      return res;
    },
    type(value: string) {
      res.sentType = value;
      return res;
    },
  };
  return res as unknown as Response & { headers: Record<string, string>; sentType?: string };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

describe('IdempotencyService', () => {
  const body = { to: '424242', message: 'Hello', connector: 'telegram' };
  const accepted = { id: 'm1', status: 'queued' };
  let store: MemoryStore;
  let service: IdempotencyService;
  let work: jest.Mock;

  beforeEach(() => {
    store = new MemoryStore();
    service = new IdempotencyService(store as unknown as IdempotencyStore, new ProblemFilter());
    work = jest.fn().mockResolvedValue(accepted);
  });

  it('does nothing without the header', async () => {
    expect(await service.run(request(body), response(), 'p1', work)).toEqual({ replayed: false, body: accepted });
    expect(store.records.size).toBe(0);
  });

  it('replays the first answer, status and body, to a retry with the same body in any key order', async () => {
    await service.run(request(body, 'k'), response(), 'p1', work);
    const res = response();
    const retry = await service.run(request({ connector: 'telegram', message: 'Hello', to: '424242' }, 'k'), res, 'p1', work);
    expect(retry).toEqual({ replayed: true, body: accepted });
    expect(res.statusCode).toBe(202);
    expect(res.headers['Idempotent-Replayed']).toBe('true');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    await service.run(request(body, 'k'), response(), 'p1', work);
    const err = await failure(service.run(request({ ...body, message: 'Bye' }, 'k'), response(), 'p1', work));
    expect(err.code).toBe(ErrorCode.ValidationFailed);
    expect(err.message).toBe('this Idempotency-Key was used with a different request body');
    expect(err.errors).toEqual([{ field: 'Idempotency-Key', message: 'was used with a different request body' }]);
  });

  it('answers 409 with Retry-After while the first request is in flight', async () => {
    let finish!: (v: unknown) => void;
    const first = service.run(request(body, 'k'), response(), 'p1', () => new Promise((r) => (finish = r)));
    await new Promise((r) => setImmediate(r));
    const res = response();
    const err = await failure(service.run(request(body, 'k'), res, 'p1', work));
    expect(err.code).toBe(ErrorCode.Conflict);
    expect(err.message).toBe('a request with this Idempotency-Key is still in progress');
    expect(res.headers['Retry-After']).toBe('1');
    finish(accepted);
    await first;
  });

  it('keeps keys of different projects apart', async () => {
    await service.run(request(body, 'k'), response(), 'p1', work);
    expect(await service.run(request(body, 'k'), response(), 'p2', work)).toEqual({ replayed: false, body: accepted });
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('stores a 4xx answer and replays it as a problem', async () => {
    work.mockRejectedValueOnce(DomainError.validation('connector', 'names no connector of this project'));
    await failure(service.run(request(body, 'k'), response(), 'p1', work));
    const res = response();
    const retry = await service.run(request(body, 'k'), res, 'p1', work);
    expect(retry.replayed).toBe(true);
    expect(retry.body).toMatchObject({ status: 422, detail: 'connector names no connector of this project', instance: '/api/v1/messages' });
    expect(res.statusCode).toBe(422);
    expect(res.sentType).toBe('application/problem+json');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('releases the key on a 5xx so the client can retry', async () => {
    work.mockRejectedValueOnce(new DomainError(ErrorCode.Unavailable, 'the messages service did not answer in time'));
    await failure(service.run(request(body, 'k'), response(), 'p1', work));
    expect(store.records.size).toBe(0);
    expect(await service.run(request(body, 'k'), response(), 'p1', work)).toEqual({ replayed: false, body: accepted });
  });

  it('answers 503 and sends nothing when the key cannot be claimed', async () => {
    store.failing = true;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const err = await failure(service.run(request(body, 'k'), response(), 'p1', work));
    expect(err.code).toBe(ErrorCode.Unavailable);
    expect(work).not.toHaveBeenCalled();
  });
});
