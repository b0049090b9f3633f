import { backoffDelayMs } from './retry-policy';

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap', () => {
    const max = () => 1;
    expect(backoffDelayMs(1, 1000, 60_000, max)).toBe(1000);
    expect(backoffDelayMs(2, 1000, 60_000, max)).toBe(2000);
    expect(backoffDelayMs(5, 1000, 60_000, max)).toBe(16_000);
    expect(backoffDelayMs(20, 1000, 60_000, max)).toBe(60_000);
  });

  it('spreads retries with full jitter but never retries instantly', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(6, 1000, 60_000));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(250);
    expect(Math.max(...delays)).toBeLessThanOrEqual(32_000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
