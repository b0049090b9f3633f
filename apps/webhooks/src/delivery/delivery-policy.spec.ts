import { judgeAttempt, MAX_ATTEMPTS, retryDelayMs } from './delivery-policy';

describe('retryDelayMs', () => {
  it('follows the schedule of API.md, then stops', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7].map((n) => (retryDelayMs(n) ?? 0) / 60_000);
    expect(minutes).toEqual([5 / 60, 5, 30, 120, 300, 600, 1440]);
    expect(retryDelayMs(8)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('scales the whole schedule (tests run it in milliseconds)', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 0.001))).toEqual([5, 300, 1800]);
    expect(retryDelayMs(1, 0.0001)).toBe(1);
  });
});

describe('judgeAttempt', () => {
  const table: Array<[number | null, number, ReturnType<typeof judgeAttempt>]> = [
    [200, 1, { status: 'succeeded' }],
    [204, 8, { status: 'succeeded' }],
    [299, 3, { status: 'succeeded' }],
    [410, 1, { status: 'gone' }],
    [410, 8, { status: 'gone' }],
    [500, 1, { status: 'retrying', delayMs: 5_000 }],
    [301, 1, { status: 'retrying', delayMs: 5_000 }],
    [404, 2, { status: 'retrying', delayMs: 300_000 }],
    [429, 7, { status: 'retrying', delayMs: 86_400_000 }],
    [null, 1, { status: 'retrying', delayMs: 5_000 }],
    [500, 8, { status: 'failed' }],
    [null, 8, { status: 'failed' }],
  ];
  it.each(table)('status %s on attempt %i → %j', (status, attempt, verdict) => {
    expect(judgeAttempt(status, attempt)).toEqual(verdict);
  });
});
