import { LATENCY_BOUNDS_SQL } from './latency-histogram';

/** Longer codes are cut: a code is a key of the error rollup, not a message. */
export const ERROR_CODE_MAX_LENGTH = 64;

/**
 * SQL expressions over the source rows, one per status: the time the row's message reached that
 * status in this statement, or NULL when it did not (or had reached it before). `errorCode`: the
 * code of a failure.
 */
export interface Reached {
  queued?: string;
  sent?: string;
  delivered?: string;
  read?: string;
  failed?: string;
  errorCode?: string;
}

/** "Reached in this statement": the status's time column went from NULL (before) to a value (after). */
export function firstTime(before: string, after: string): string {
  return `CASE WHEN ${before} IS NULL THEN ${after} END`;
}

/**
 * The analytics rollups, as CTEs to put after the CTE that moves statuses, in the same statement:
 * a move and its counts commit together or not at all. `source` names a CTE whose rows carry
 * project_id, connector_id, connector_type and created_at of each message it moved; `reached` says
 * which statuses each reached. Each message thus counts once per status, in the UTC hour it got
 * there; reaching `sent` also adds its accepted → sent latency to the hour's histogram, and reaching
 * `failed` its error code. Rows are written in key order, so concurrent statements lock them in the
 * same order and cannot deadlock on them.
 */
export function statusRollup(source: string, reached: Reached): string {
  const at = (expr: string | undefined) => `(${expr ?? 'NULL'})::timestamptz`;
  return `rollup_moves AS (
    SELECT project_id, connector_id, connector_type, created_at,
      ${at(reached.queued)} AS queued_at, ${at(reached.sent)} AS sent_at, ${at(reached.delivered)} AS delivered_at,
      ${at(reached.read)} AS read_at, ${at(reached.failed)} AS failed_at, (${reached.errorCode ?? 'NULL'})::text AS error_code
    FROM ${source}
  ), rollup_counts AS (
    INSERT INTO message_stats_hourly AS r (project_id, hour, connector_id, connector_type, queued, sent, delivered, read, failed)
    SELECT c.project_id, c.hour, c.connector_id, min(c.connector_type),
      count(*) FILTER (WHERE c.kind = 'queued'), count(*) FILTER (WHERE c.kind = 'sent'), count(*) FILTER (WHERE c.kind = 'delivered'),
      count(*) FILTER (WHERE c.kind = 'read'), count(*) FILTER (WHERE c.kind = 'failed')
    FROM (
      SELECT mv.project_id, mv.connector_id, mv.connector_type, date_trunc('hour', s.at, 'UTC') AS hour, s.kind
      FROM rollup_moves mv CROSS JOIN LATERAL (VALUES ('queued', mv.queued_at), ('sent', mv.sent_at), ('delivered', mv.delivered_at),
        ('read', mv.read_at), ('failed', mv.failed_at)) AS s(kind, at)
      WHERE s.at IS NOT NULL
    ) c
    GROUP BY c.project_id, c.hour, c.connector_id
    ORDER BY c.project_id, c.hour, c.connector_id
    ON CONFLICT (project_id, hour, connector_id) DO UPDATE SET queued = r.queued + EXCLUDED.queued, sent = r.sent + EXCLUDED.sent,
      delivered = r.delivered + EXCLUDED.delivered, read = r.read + EXCLUDED.read, failed = r.failed + EXCLUDED.failed
  ), rollup_latency AS (
    INSERT INTO message_latency_hourly AS r (project_id, hour, connector_id, bucket, connector_type, count)
    SELECT mv.project_id, date_trunc('hour', mv.sent_at, 'UTC'), mv.connector_id,
      width_bucket((extract(epoch FROM mv.sent_at - mv.created_at) * 1000)::float8, ${LATENCY_BOUNDS_SQL}), min(mv.connector_type), count(*)
    FROM rollup_moves mv WHERE mv.sent_at IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (project_id, hour, connector_id, bucket) DO UPDATE SET count = r.count + EXCLUDED.count
  ), rollup_errors AS (
    INSERT INTO message_errors_hourly AS r (project_id, hour, connector_id, code, connector_type, count, last_at)
    SELECT mv.project_id, date_trunc('hour', mv.failed_at, 'UTC'), mv.connector_id, left(coalesce(mv.error_code, 'unknown'), ${ERROR_CODE_MAX_LENGTH}),
      min(mv.connector_type), count(*), max(mv.failed_at)
    FROM rollup_moves mv WHERE mv.failed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (project_id, hour, connector_id, code) DO UPDATE SET count = r.count + EXCLUDED.count, last_at = GREATEST(r.last_at, EXCLUDED.last_at)
  )`;
}
