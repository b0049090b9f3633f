import { createHash, randomUUID } from 'node:crypto';
import { connectorQueueName } from '@app/contracts';
import { TelegramFake } from './fakes/telegram.fake';
import { ApiResponse, eventually, Platform } from './support/platform';
import { startWithTelegram } from './support/telegram-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

describe('Idempotency-Key on POST /messages', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ platform, telegram, tenant } = await startWithTelegram());
  });

  afterAll(() => platform?.stop());

  const send = (body: Record<string, unknown>, key?: string, who: Tenant = tenant): Promise<ApiResponse> =>
    platform.request('POST', 'messages', { token: who.apiKey, body, headers: key === undefined ? {} : { 'idempotency-key': key } });

  const rows = async (text: string, who: Tenant = tenant): Promise<number> =>
    (await platform.db.query('SELECT count(*)::int AS n FROM messages WHERE project_id = $1 AND body = $2', [who.projectId, text])).rows[0]
      .n;

  /** Waits until the fake has the send and the Telegram queue holds no job: a second send would have happened by then. */
  const providerSends = async (text: string): Promise<number> => {
    await eventually(async () => telegram.sent.some((s) => s.text === text), 15_000);
    await platform.queuesIdle([connectorQueueName('telegram')]);
    return telegram.sent.filter((s) => s.text === text).length;
  };

  const replayed = (res: ApiResponse) => res.headers.get('idempotent-replayed');

  it('replays the first answer to a retry: same status, id and body, nothing new stored or sent', async () => {
    const key = randomUUID();
    const body = { to: '424242', message: `replay ${key}`, connector: 'telegram' };
    const first = await send(body, key);
    expect(first.status).toBe(202);
    expect(replayed(first)).toBeNull();

    // Same body in another key order is the same request.
    const retry = await send({ connector: 'telegram', message: body.message, to: '424242' }, key);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(replayed(retry)).toBe('true');

    expect(await rows(body.message)).toBe(1);
    expect(await providerSends(body.message)).toBe(1);
  });

  it('refuses the same key with a different body with 422 and sends nothing for it', async () => {
    const key = randomUUID();
    const first = await send({ to: '424242', message: `original ${key}`, connector: 'telegram' }, key);
    expect(first.status).toBe(202);
    const other = await send({ to: '424242', message: `changed ${key}`, connector: 'telegram' }, key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({
      type: 'https://messagejs.dev/problems/validation-error',
      status: 422,
      detail: 'this Idempotency-Key was used with a different request body',
      errors: [{ field: 'Idempotency-Key', message: 'was used with a different request body' }],
    });
    expect(await rows(`changed ${key}`)).toBe(0);
  });

  it('answers 409 while the first request is in flight, and the first answer once it is done', async () => {
    const key = randomUUID();
    const body = { to: '424242', message: `in flight ${key}`, connector: 'telegram' };
    const record = `${platform.redisPrefix}:idem:${tenant.projectId}:${createHash('sha256').update(key).digest('hex')}`;
    const dispatcher = platform.processes.get('dispatcher')!;
    // A paused dispatcher holds the first request inside the accept call (the RPC waits 10 s).
    dispatcher.kill('SIGSTOP');
    let first: Promise<ApiResponse>;
    try {
      first = send(body, key);
      const claim = await eventually(async () => platform.redis.get(record), 5_000, 20);
      expect(JSON.parse(claim)).toMatchObject({ state: 'in-flight' });
      expect(await platform.redis.pttl(record)).toBeLessThanOrEqual(60_000);

      const second = await send(body, key);
      expect(second.status).toBe(409);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(second.body).toMatchObject({
        type: 'https://messagejs.dev/problems/conflict',
        status: 409,
        detail: 'a request with this Idempotency-Key is still in progress',
      });
    } finally {
      dispatcher.kill('SIGCONT');
    }
    const answered = await first;
    expect(answered.status).toBe(202);
    const after = await send(body, key);
    expect(after.status).toBe(202);
    expect(after.body.id).toBe(answered.body.id);
    expect(replayed(after)).toBe('true');
    // Done answers are kept for IDEMPOTENCY_TTL_HOURS (default 24 h).
    expect(await platform.redis.pttl(record)).toBeGreaterThan(23 * 3_600_000);
    expect(await rows(body.message)).toBe(1);
  });

  it('finds the first message when the gateway lost its answer: same id, one message, one send', async () => {
    const key = randomUUID();
    const body = { to: '424242', message: `lost answer ${key}`, connector: 'telegram' };
    const first = await send(body, key);
    expect(first.status).toBe(202);
    // What a timed-out accept leaves behind: the message is stored, but the gateway released the key.
    const record = `${platform.redisPrefix}:idem:${tenant.projectId}:${createHash('sha256').update(key).digest('hex')}`;
    expect(await platform.redis.del(record)).toBe(1);

    const retry = await send(body, key);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(await rows(body.message)).toBe(1);
    expect(await providerSends(body.message)).toBe(1);

    // The database remembers the body too: another body under that key is still refused.
    await platform.redis.del(record);
    const other = await send({ ...body, message: 'something else' }, key);
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'was used with a different request body' }]);
    expect(await rows('something else')).toBe(0);
  });

  it('turns 20 concurrent identical requests into one message and one provider send', async () => {
    const key = randomUUID();
    const body = { to: '424242', message: `twenty ${key}`, connector: 'telegram' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(body, key)));
    for (const res of answers) expect([202, 409]).toContain(res.status);
    const accepted = answers.filter((r) => r.status === 202);
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(1);
    expect(accepted.filter((r) => replayed(r) === null)).toHaveLength(1);
    expect(await rows(body.message)).toBe(1);
    expect(await providerSends(body.message)).toBe(1);
  });

  it('keeps keys per project: the same key in two projects makes two messages', async () => {
    const other = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const key = randomUUID();
    const body = { to: '424242', message: `two projects ${key}`, connector: 'telegram' };
    const mine = await send(body, key);
    const theirs = await send(body, key, other);
    expect([mine.status, theirs.status]).toEqual([202, 202]);
    expect(replayed(theirs)).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await rows(body.message)).toBe(1);
    expect(await rows(body.message, other)).toBe(1);
  });

  it('stores a 4xx answer too and replays it, as Stripe does', async () => {
    const key = randomUUID();
    const body = { to: '424242', message: `no such connector ${key}`, connector: '00000000-0000-4000-8000-000000000000' };
    const first = await send(body, key);
    expect(first.status).toBe(422);
    const retry = await send(body, key);
    expect(retry.status).toBe(422);
    expect(retry.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(replayed(retry)).toBe('true');
    expect(retry.body).toEqual(first.body);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['empty', ''],
  ])('refuses a key %s with a 422 naming the header, and stores nothing', async (_case, key) => {
    const body = { to: '424242', message: `bad key ${randomUUID()}`, connector: 'telegram' };
    const res = await send(body, key);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('https://messagejs.dev/problems/validation-error');
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    expect(await rows(body.message)).toBe(0);
  });

  it('accepts a key of exactly 255 characters', async () => {
    const res = await send({ to: '424242', message: `long key ${randomUUID()}`, connector: 'telegram' }, 'k'.repeat(254) + 'z');
    expect(res.status).toBe(202);
  });
});
