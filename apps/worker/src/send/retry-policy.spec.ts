import { backoffDelayMs } from './retry-policy';

describe('backoffDelayMs', () => {
  const max = () => 1;

  it('grows by four each retry up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, 60_000, 86_400_000, max))).toEqual([
      60_000, 240_000, 960_000, 3_840_000, 15_360_000, 61_440_000, 86_400_000,
    ]);
  });

  it('spreads the default eight attempts over about a day on average', () => {
    const mean = () => 0.5;
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + backoffDelayMs(n, 60_000, 86_400_000, mean), 0);
    expect(total / 3_600_000).toBeGreaterThan(18);
    expect(total / 3_600_000).toBeLessThan(30);
  });

  it('uses full jitter but never retries instantly', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(4, 1000, 60_000));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(250);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
