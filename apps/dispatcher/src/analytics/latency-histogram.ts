/**
 * Latency (accepted → sent) is kept as a histogram per connector per hour, never as raw samples.
 * Bucket i (1-based) holds [BOUNDS[i-1], BOUNDS[i]) ms, bucket 0 is below the first bound and the last
 * bucket is open-ended: exactly what PostgreSQL's width_bucket(value, bounds) numbers. The bounds are
 * stored meaning: never change them, only append a new histogram if finer ones are ever needed.
 */
export const LATENCY_BOUNDS_MS = [
  50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000,
] as const;

/** The bounds as a PostgreSQL array literal, for width_bucket in SQL. */
export const LATENCY_BOUNDS_SQL = `'{${LATENCY_BOUNDS_MS.join(',')}}'::float8[]`;

/**
 * The q-quantile (0 < q < 1) of a histogram given as counts by bucket index, interpolated linearly
 * inside the bucket it falls in; the open last bucket answers its lower bound. Null when empty.
 */
export function latencyPercentile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let bucket = 0; bucket <= LATENCY_BOUNDS_MS.length; bucket++) {
    const n = counts.get(bucket) ?? 0;
    if (n > 0 && below + n >= rank) {
      const lower = bucket === 0 ? 0 : LATENCY_BOUNDS_MS[bucket - 1];
      if (bucket === LATENCY_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BOUNDS_MS[bucket];
      return Math.round(lower + ((rank - below) / n) * (upper - lower));
    }
    below += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
