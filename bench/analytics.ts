/**
 * The analytics figure of `npm run bench`: GET /projects/:id/analytics for a project with a million
 * messages (BENCH_ANALYTICS_MESSAGES; 0 skips it). The messages are written with one fast SQL insert
 * spread over the last 30 days (85 % delivered, 5 % read, 5 % sent, 5 % failed with five error codes,
 * send latencies of 0.1 to 5 s), then the rollups are built from them by the dispatcher's own
 * `rebuild-analytics`, the statement status moves use: the rows are those real traffic leaves.
 * Measured: the HTTP call's latency (sequential calls, after a warm-up), by day over 30 days and by hour
 * over 31 days; for scale, one scan of the messages that answers only the daily series.
 *
 * Called by bench/run.ts with the running platform's gateway URL, a dashboard token owning the project,
 * one of its connectors, a pg Client on its database and a way to run the dispatcher's rebuild-analytics
 * with the apps' environment. Returns the figures (or null when skipped).
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';

const DAY_MS = 86_400_000;
const CALLS = 30;
const WARMUP = 3;
const CHUNK = 100_000;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Messages $5..$6 of $4, created evenly over the 30 days before $3 (ms), in project $1 on connector $2. */
const SEED_SQL = `INSERT INTO messages (id, project_id, connector_id, connector_type, "to", body, status, error_code, error_message, attempts,
             events, created_at, updated_at, sent_at, delivered_at, read_at, failed_at, enqueued_at)
           SELECT gen_random_uuid(), $1, $2, 'telegram', '424242', 'bench', s.status,
             CASE WHEN s.status = 'failed' THEN (ARRAY['400', '403', '429', '500', 'network'])[1 + s.i % 5] END,
             CASE WHEN s.status = 'failed' THEN 'bench failure' END,
             1, '[]'::jsonb, s.created_at, s.created_at + s.latency,
             CASE WHEN s.status <> 'failed' THEN s.created_at + s.latency END,
             CASE WHEN s.status IN ('delivered', 'read') THEN s.created_at + s.latency + interval '2 seconds' END,
             CASE WHEN s.status = 'read' THEN s.created_at + s.latency + interval '60 seconds' END,
             CASE WHEN s.status = 'failed' THEN s.created_at + s.latency END,
             s.created_at
           FROM (
             SELECT g AS i,
               to_timestamp($3::float8 / 1000) - (($4::int - g)::float8 / $4::int) * interval '30 days' AS created_at,
               (100 + (g::bigint * 7919) % 4900) * interval '1 millisecond' AS latency,
               CASE WHEN g % 100 < 85 THEN 'delivered' WHEN g % 100 < 90 THEN 'read' WHEN g % 100 < 95 THEN 'sent' ELSE 'failed' END AS status
             FROM generate_series($5::int, $6::int) AS g
           ) s`;

interface Series {
  series: Array<{ queued: number }>;
}

async function timeCalls(url: string, accessToken: string) {
  const once = async () => {
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = (await res.json()) as Series;
    if (res.status !== 200) throw new Error(`analytics answered ${res.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const times: number[] = [];
  let last: { ms: number; body: Series } | undefined;
  for (let i = 0; i < CALLS; i++) {
    last = await once();
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50Ms: round(percentile(times, 0.5)),
    p95Ms: round(percentile(times, 0.95)),
    maxMs: round(times[times.length - 1]),
    body: last!.body,
  };
}

export interface AnalyticsTarget {
  baseUrl: string;
  accessToken: string;
  projectId: string;
  connectorId: string;
  db: Client;
  /** Runs the dispatcher's `rebuild-analytics` against the platform's database; resolves with what it printed. */
  rebuild: () => Promise<string>;
  log: (line: string) => void;
}

export async function benchAnalytics({ baseUrl, accessToken, projectId, connectorId, db, rebuild, log }: AnalyticsTarget) {
  const messages = Number(process.env.BENCH_ANALYTICS_MESSAGES ?? 1_000_000);
  if (!Number.isInteger(messages) || messages <= 0) return null;
  const now = Date.now();

  log(`analytics: writing ${messages.toLocaleString('en')} messages over 30 days`);
  let started = performance.now();
  for (let from = 1; from <= messages; from += CHUNK) {
    const to = Math.min(messages, from + CHUNK - 1);
    await db.query(SEED_SQL, [projectId, connectorId, now, messages, from, to]);
  }
  await db.query('ANALYZE messages');
  const seedS = (performance.now() - started) / 1000;

  log('analytics: building the rollups (dispatcher rebuild-analytics)');
  started = performance.now();
  const rebuildOutput = await rebuild();
  const rebuildS = (performance.now() - started) / 1000;
  const rollupRows: Record<string, number> = {};
  for (const table of ['message_stats_hourly', 'message_latency_hourly', 'message_errors_hourly']) {
    rollupRows[table] = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1`, [projectId])
    ).rows[0].n;
  }

  const api = `${baseUrl}/api/v1/projects/${projectId}/analytics`;
  const daily = await timeCalls(`${api}?interval=day&from=${new Date(now - 30 * DAY_MS).toISOString()}`, accessToken);
  const hourly = await timeCalls(`${api}?interval=hour&from=${new Date(now - 31 * DAY_MS + 3_600_000).toISOString()}`, accessToken);
  const counted = daily.body.series.reduce((n, p) => n + p.queued, 0);
  if (counted < messages) throw new Error(`analytics counted ${counted} messages, fewer than the ${messages} written`);

  started = performance.now();
  await db.query(
    `SELECT date_trunc('day', created_at, 'UTC') AS t, count(*), count(sent_at), count(delivered_at), count(read_at), count(failed_at)
     FROM messages WHERE project_id = $1 AND created_at >= $2 GROUP BY 1`,
    [projectId, new Date(now - 30 * DAY_MS)],
  );
  const scanMs = Math.round(performance.now() - started);

  const figures = {
    messages,
    seedSeconds: Math.round(seedS * 10) / 10,
    rebuildSeconds: Math.round(rebuildS * 10) / 10,
    rebuild: rebuildOutput,
    rollupRows,
    daily: { buckets: daily.body.series.length, p50Ms: daily.p50Ms, p95Ms: daily.p95Ms, maxMs: daily.maxMs },
    hourly: { buckets: hourly.body.series.length, p50Ms: hourly.p50Ms, p95Ms: hourly.p95Ms, maxMs: hourly.maxMs },
    messagesScanMs: scanMs,
  };
  log(
    `analytics: ${messages.toLocaleString('en')} messages → ${rollupRows.message_stats_hourly} hourly rows; ` +
      `by day (${figures.daily.buckets} buckets) p50 ${figures.daily.p50Ms} ms, p95 ${figures.daily.p95Ms} ms; ` +
      `by hour (${figures.hourly.buckets} buckets) p50 ${figures.hourly.p50Ms} ms, p95 ${figures.hourly.p95Ms} ms; ` +
      `a scan of the messages for the daily series alone: ${scanMs} ms`,
  );
  return figures;
}
