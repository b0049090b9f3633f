import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorType, statusesThatCanMoveTo } from '@app/contracts';
import { firstTime, statusRollup } from '../analytics/status-rollup';
import { Receipt, receiptEvent, ReceiptStatus } from './receipt';

/** What one receipt did: moved its message, changed nothing (late or duplicate), or found no message. */
export type ReceiptResult = 'moved' | 'ignored' | 'unknown';

/** A message a receipt moved, and to what: the status event to hand to the webhooks app. */
export interface ReceiptMove {
  projectId: string;
  messageId: string;
  status: ReceiptStatus;
  at: string;
  /** The message's stored trace context: the status change is recorded in the message's trace. */
  traceContext: string | null;
}

export interface ReceiptApplied {
  result: ReceiptResult;
  /** Non-empty exactly when result is `moved`. */
  moves: ReceiptMove[];
}

/** A message in `sent` whose provider the reconciler is to ask about it. */
export interface UnconfirmedMessage {
  messageId: string;
  projectId: string;
  connectorId: string;
  connectorType: ConnectorType;
  externalId: string;
  traceContext: string | null;
}

/** Past this, a message left in `sent` is not asked about again: the provider has said all it will. */
const RECONCILE_FOR = '7 days';

type Query = Pick<EntityManager, 'query'>;

/**
 * Receipts name a message by (connector, provider id); a connector belongs to exactly one project,
 * so the connector id is the tenant scope of every query here.
 */
@Injectable()
export class ReceiptRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  apply(connectorId: string, receipt: Receipt): Promise<ReceiptApplied> {
    return applyReceipt(this.dataSource, connectorId, receipt);
  }

  /**
   * Claims up to `limit` messages of these connector types that are `sent` for longer than `afterMs`
   * and due for a status check: never checked, or checked longer ago than both `afterMs` and the time
   * between sending and that check (so each waits twice as long as the last). Marking them checked in
   * the same statement, skipping rows another dispatcher holds, means each is asked about once a round.
   */
  async claimUnconfirmed(types: ConnectorType[], afterMs: number, limit: number): Promise<UnconfirmedMessage[]> {
    type Row = {
      id: string;
      project_id: string;
      connector_id: string;
      connector_type: ConnectorType;
      external_id: string;
      trace_context: string | null;
    };
    // An UPDATE … RETURNING answers [rows, affected count].
    const [rows] = await this.dataSource.query<[Row[], number]>(
      `UPDATE messages m SET status_checked_at = now()
         FROM (SELECT id FROM messages
               WHERE status = 'sent' AND connector_type = ANY($1::text[]) AND external_id IS NOT NULL
                 AND sent_at < now() - $2 * interval '1 millisecond' AND sent_at > now() - interval '${RECONCILE_FOR}'
                 AND (status_checked_at IS NULL
                      OR status_checked_at < now() - GREATEST($2 * interval '1 millisecond', status_checked_at - sent_at))
               ORDER BY sent_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
         WHERE m.id = due.id
         RETURNING m.id, m.project_id, m.connector_id, m.connector_type, m.external_id, m.trace_context`,
      [types, afterMs, limit],
    );
    return rows.map((r) => ({
      messageId: r.id,
      projectId: r.project_id,
      connectorId: r.connector_id,
      connectorType: r.connector_type,
      externalId: r.external_id,
      traceContext: r.trace_context,
    }));
  }

  async keepPending(connectorId: string, receipt: Receipt): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO pending_receipts (connector_id, external_id, status, at, error_code, error_message) VALUES ($1, $2, $3, $4, $5, $6)`,
      [connectorId, receipt.externalId, receipt.status, receipt.at, receipt.error?.code ?? null, receipt.error?.message ?? null],
    );
  }

  /**
   * Applies, oldest first, the pending receipts of a message that now has its provider id, and
   * deletes them in the same transaction. Rows are taken only once the message exists, and the
   * DELETE locks them, so two callers never apply the same receipt twice. Returns the moves they made.
   */
  applyPending(connectorId: string, externalId: string): Promise<ReceiptMove[]> {
    return this.dataSource.transaction(async (tx) => {
      type PendingRow = { status: ReceiptStatus; at: Date; error_code: string | null; error_message: string | null };
      // A DELETE … RETURNING answers [rows, affected count].
      const [rows] = await tx.query<[PendingRow[], number]>(
        `DELETE FROM pending_receipts p WHERE p.connector_id = $1 AND p.external_id = $2
             AND EXISTS (SELECT 1 FROM messages m WHERE m.connector_id = $1 AND m.external_id = $2)
           RETURNING status, at, error_code, error_message, created_at`,
        [connectorId, externalId],
      );
      rows.sort((a, b) => a.at.getTime() - b.at.getTime());
      const moves: ReceiptMove[] = [];
      for (const row of rows) {
        const receipt: Receipt = { externalId, status: row.status, at: row.at.toISOString() };
        if (row.error_code !== null) receipt.error = { code: row.error_code, message: row.error_message ?? '' };
        moves.push(...(await applyReceipt(tx, connectorId, receipt)).moves);
      }
      return moves;
    });
  }

  /** Pending receipts whose message has appeared since (the safety net if a send's recording skipped applyPending). */
  async matchedPending(recentMs: number, limit: number): Promise<Array<{ connectorId: string; externalId: string }>> {
    const rows: Array<{ connector_id: string; external_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT p.connector_id, p.external_id FROM pending_receipts p
       WHERE p.created_at > now() - $1 * interval '1 millisecond'
         AND EXISTS (SELECT 1 FROM messages m WHERE m.connector_id = p.connector_id AND m.external_id = p.external_id)
       LIMIT $2`,
      [recentMs, limit],
    );
    return rows.map((r) => ({ connectorId: r.connector_id, externalId: r.external_id }));
  }

  /** Receipts for ids no message ever had (sent outside MessageJS, or by a send that was redone) expire. */
  /** Which of these (connector, external id) pairs have receipts waiting: one query for a whole batch of sends. */
  async pendingAmong(
    pairs: Array<{ connectorId: string; externalId: string }>,
  ): Promise<Array<{ connectorId: string; externalId: string }>> {
    if (pairs.length === 0) return [];
    const rows: Array<{ connector_id: string; external_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT p.connector_id, p.external_id FROM pending_receipts p
       JOIN unnest($1::uuid[], $2::text[]) AS x(connector_id, external_id)
         ON p.connector_id = x.connector_id AND p.external_id = x.external_id`,
      [pairs.map((p) => p.connectorId), pairs.map((p) => p.externalId)],
    );
    return rows.map((r) => ({ connectorId: r.connector_id, externalId: r.external_id }));
  }

  async deleteExpiredPending(olderThanMs: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM pending_receipts WHERE created_at < now() - $1 * interval '1 millisecond'`,
      [olderThanMs],
    );
    return result[1];
  }
}

/**
 * One receipt in one statement: the status moves only where the state machine allows it (the
 * guard is re-checked on the locked row, so concurrent duplicates move it once), and only a move
 * appends its event and adds to the analytics rollups. `found` tells a late or duplicate receipt
 * from one for no known message.
 */
async function applyReceipt(db: Query, connectorId: string, receipt: Receipt): Promise<ReceiptApplied> {
  const rows: Array<{ found: number; moved: Array<{ id: string; project_id: string; trace_context: string | null }> }> = await db.query(
    `WITH found AS (
       SELECT id FROM messages WHERE connector_id = $1 AND external_id = $2
     ), before AS MATERIALIZED (
       SELECT m.id, m.sent_at, m.delivered_at, m.read_at, m.failed_at FROM messages m JOIN found f ON m.id = f.id FOR UPDATE OF m
     ), moved AS (
       UPDATE messages m SET
         status = $3::text,
         events = m.events || $5::jsonb,
         sent_at = CASE WHEN $3 <> 'failed' THEN COALESCE(m.sent_at, $6::timestamptz) ELSE m.sent_at END,
         delivered_at = CASE WHEN $3 IN ('delivered', 'read') THEN COALESCE(m.delivered_at, $6::timestamptz) ELSE m.delivered_at END,
         read_at = CASE WHEN $3 = 'read' THEN COALESCE(m.read_at, $6::timestamptz) ELSE m.read_at END,
         failed_at = CASE WHEN $3 = 'failed' THEN COALESCE(m.failed_at, $6::timestamptz) ELSE m.failed_at END,
         error_code = CASE WHEN $3 = 'failed' THEN $7 ELSE m.error_code END,
         error_message = CASE WHEN $3 = 'failed' THEN $8 ELSE m.error_message END,
         updated_at = now()
       FROM before b
       WHERE m.id = b.id AND m.status = ANY($4::text[])
       RETURNING m.id, m.project_id, m.connector_id, m.connector_type, m.created_at, m.sent_at, m.delivered_at, m.read_at, m.failed_at,
         m.error_code, m.trace_context, b.sent_at AS sent_before, b.delivered_at AS delivered_before, b.read_at AS read_before, b.failed_at AS failed_before
     ), ${statusRollup('moved', {
       sent: firstTime('sent_before', 'sent_at'),
       delivered: firstTime('delivered_before', 'delivered_at'),
       read: firstTime('read_before', 'read_at'),
       failed: firstTime('failed_before', 'failed_at'),
       errorCode: 'error_code',
     })}
     SELECT (SELECT count(*) FROM found)::int AS found,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'project_id', project_id, 'trace_context', trace_context)), '[]') FROM moved) AS moved`,
    [
      connectorId,
      receipt.externalId,
      receipt.status,
      statusesThatCanMoveTo(receipt.status),
      JSON.stringify([receiptEvent(receipt)]),
      receipt.at,
      receipt.error?.code ?? null,
      receipt.error?.message ?? null,
    ],
  );
  const { found, moved } = rows[0];
  const moves = moved.map((m) => ({
    projectId: m.project_id,
    messageId: m.id,
    status: receipt.status,
    at: receipt.at,
    traceContext: m.trace_context,
  }));
  return { result: moves.length > 0 ? 'moved' : found > 0 ? 'ignored' : 'unknown', moves };
}
