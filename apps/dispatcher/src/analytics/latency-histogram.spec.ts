import { LATENCY_BOUNDS_MS, latencyPercentile } from './latency-histogram';

/** Which bucket width_bucket puts a value in: the count of bounds at or below it. */
const bucketOf = (ms: number) => LATENCY_BOUNDS_MS.filter((b) => b <= ms).length;

function histogram(samples: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const ms of samples) counts.set(bucketOf(ms), (counts.get(bucketOf(ms)) ?? 0) + 1);
  return counts;
}

describe('latencyPercentile', () => {
  it('is null for no samples', () => {
    expect(latencyPercentile(new Map(), 0.5)).toBeNull();
  });

  it('interpolates inside the bucket the rank falls in', () => {
    // 100 samples in [1000, 1500): the median sits halfway through the bucket.
    expect(latencyPercentile(new Map([[7, 100]]), 0.5)).toBe(1_250);
    expect(latencyPercentile(new Map([[7, 100]]), 0.95)).toBe(1_475);
    // Below the first bound, the bucket starts at 0.
    expect(latencyPercentile(new Map([[0, 10]]), 0.5)).toBe(25);
  });

  it('lands within one bucket of the exact percentile of the samples', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => Math.round(20 + ((i * 7919) % 9_000) + (i % 97) * 13));
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.95]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1];
      const estimate = latencyPercentile(histogram(samples), q)!;
      const bucket = bucketOf(exact);
      expect(estimate).toBeGreaterThanOrEqual(bucket === 0 ? 0 : LATENCY_BOUNDS_MS[bucket - 1]);
      expect(estimate).toBeLessThanOrEqual(LATENCY_BOUNDS_MS[bucket]);
    }
  });

  it('answers the lower bound of the open last bucket', () => {
    expect(latencyPercentile(new Map([[LATENCY_BOUNDS_MS.length, 3]]), 0.5)).toBe(86_400_000);
  });

  it('skips empty buckets and weighs each by its count', () => {
    const counts = new Map([
      [1, 90],
      [10, 10],
    ]);
    expect(latencyPercentile(counts, 0.5)).toBe(50 + Math.round((50 / 90) * 50));
    expect(latencyPercentile(counts, 0.95)).toBe(3_000 + Math.round((5 / 10) * 2_000));
  });
});
