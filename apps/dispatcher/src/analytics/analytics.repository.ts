import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ANALYTICS_TOP_ERRORS, AnalyticsWindow, ConnectorType, ErrorAnalytics } from '@app/contracts';
import { statusRollup } from './status-rollup';

export interface StatusCounts {
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface ConnectorRef {
  id: string;
  type: ConnectorType;
  name: string | null;
}

const COUNT_SUMS = `sum(queued)::float8 AS queued, sum(sent)::float8 AS sent, sum(delivered)::float8 AS delivered,
  sum(read)::float8 AS read, sum(failed)::float8 AS failed`;
const ROLLUP_TABLES = ['message_stats_hourly', 'message_latency_hourly', 'message_errors_hourly'];

/** The rows of one project in the window, for one connector (by id or type) when the window names one. */
function scope(projectId: string, window: AnalyticsWindow): { where: string; params: unknown[] } {
  const params: unknown[] = [projectId, window.from, window.to];
  let where = 'project_id = $1 AND hour >= $2 AND hour < $3';
  if (window.connector) {
    params.push('id' in window.connector ? window.connector.id : window.connector.type);
    where += ` AND ${'id' in window.connector ? 'connector_id' : 'connector_type'} = $4`;
  }
  return { where, params };
}

/**
 * Reads the analytics rollups (a few rows per connector and hour, whatever the traffic: never the
 * messages), and rebuilds them from the messages when asked to.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Counts per bucket start (ISO); buckets without traffic are absent. */
  async series(projectId: string, window: AnalyticsWindow): Promise<Map<string, StatusCounts>> {
    const { where, params } = scope(projectId, window);
    const rows: Array<StatusCounts & { t: Date }> = await this.dataSource.query(
      `SELECT date_trunc($${params.length + 1}, hour, 'UTC') AS t, ${COUNT_SUMS} FROM message_stats_hourly WHERE ${where} GROUP BY 1`,
      [...params, window.interval],
    );
    return new Map(rows.map(({ t, ...counts }) => [t.toISOString(), counts]));
  }

  async perConnector(projectId: string, window: AnalyticsWindow): Promise<Array<StatusCounts & { id: string; type: ConnectorType }>> {
    const { where, params } = scope(projectId, window);
    const rows: Array<StatusCounts & { connector_id: string; connector_type: ConnectorType }> = await this.dataSource.query(
      `SELECT connector_id, min(connector_type) AS connector_type, ${COUNT_SUMS} FROM message_stats_hourly WHERE ${where} GROUP BY connector_id`,
      params,
    );
    return rows.map(({ connector_id, connector_type, ...counts }) => ({ id: connector_id, type: connector_type, ...counts }));
  }

  /** Latency histogram counts by connector, then by bucket. */
  async latency(projectId: string, window: AnalyticsWindow): Promise<Map<string, Map<number, number>>> {
    const { where, params } = scope(projectId, window);
    const rows: Array<{ connector_id: string; bucket: number; count: number }> = await this.dataSource.query(
      `SELECT connector_id, bucket, sum(count)::float8 AS count FROM message_latency_hourly WHERE ${where} GROUP BY connector_id, bucket`,
      params,
    );
    const byConnector = new Map<string, Map<number, number>>();
    for (const r of rows) {
      const counts = byConnector.get(r.connector_id) ?? new Map<number, number>();
      counts.set(r.bucket, r.count);
      byConnector.set(r.connector_id, counts);
    }
    return byConnector;
  }

  async topErrors(projectId: string, window: AnalyticsWindow): Promise<ErrorAnalytics[]> {
    const { where, params } = scope(projectId, window);
    const rows: Array<{ code: string; count: number; last_at: Date }> = await this.dataSource.query(
      `SELECT code, sum(count)::float8 AS count, max(last_at) AS last_at FROM message_errors_hourly WHERE ${where}
       GROUP BY code ORDER BY count DESC, code LIMIT ${ANALYTICS_TOP_ERRORS}`,
      params,
    );
    return rows.map((r) => ({ code: r.code, count: r.count, lastAt: r.last_at.toISOString() }));
  }

  /**
   * Recomputes every rollup from the messages as they are now, through the same statement the status
   * moves use. The rollup tables are locked first: a status move waiting on them is invisible to this
   * snapshot and adds its own count after, so nothing is counted twice or missed. Moves of every
   * project wait meanwhile; run it once after upgrading, or to repair. Failures later retried to
   * success have lost their code and count as `unknown`.
   */
  async rebuild(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${ROLLUP_TABLES.join(', ')} IN EXCLUSIVE MODE`);
      for (const table of ROLLUP_TABLES) await tx.query(`DELETE FROM ${table}`);
      const rows: Array<{ n: number }> = await tx.query(
        `WITH source AS (
           SELECT project_id, connector_id, connector_type, created_at, sent_at, delivered_at, read_at, failed_at, error_code FROM messages
         ), ${statusRollup('source', {
           queued: 'created_at',
           sent: 'sent_at',
           delivered: 'delivered_at',
           read: 'read_at',
           failed: 'failed_at',
           errorCode: 'error_code',
         })}
         SELECT count(*)::int AS n FROM source`,
      );
      return rows[0].n;
    });
  }
}
