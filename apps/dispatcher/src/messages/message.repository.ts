import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AcceptedMessage,
  AttemptOutcome,
  DomainError,
  ListMessagesQuery,
  MessageEvent,
  MessagePage,
  MessageStatus,
  MessageWithEvents,
  SendJobData,
  statusesThatCanMoveTo,
  TraceCarrier,
  UUID_PATTERN,
  WhatsAppTemplateSend,
} from '@app/contracts';
import { decodePageCursor, encodePageCursor, MESSAGE_VIEW_COLUMNS, MessageEntity, MessageViewRow, toMessageView } from '@app/database';
import { storableTraceContext } from '@app/observability';
import { firstTime, statusRollup } from '../analytics/status-rollup';
import { outcomeEvents, roundsWithUniqueIds } from './attempt-outcome';
import { QUEUED_MESSAGE_COLUMNS, QueuedMessage, sendJobFor } from './send-job';

export interface NewMessage {
  id: string;
  projectId: string;
  connectorId: string;
  connectorType: MessageEntity['connectorType'];
  to: string;
  body: string;
  subject: string | null;
  metadata: Record<string, string> | null;
  whatsappTemplate: WhatsAppTemplateSend | null;
  idempotency: { key: string; fingerprint: string } | null;
  createdAt: Date;
  /** The accept's trace, handed on to the send job; its W3C part is stored (`trace_context`) for the message's later work. */
  trace?: TraceCarrier;
}

/** A message an earlier request with the same Idempotency-Key already made. */
export interface IdempotentMatch {
  message: AcceptedMessage;
  fingerprint: string | null;
}

export interface AppliedOutcome {
  id: string;
  connectorId: string;
  externalId: string | null;
  /** The status after the update (it may not have moved, if a receipt got there first). */
  status: MessageStatus;
}

/** Every query takes the project id: a message of another project is simply not there. */
@Injectable()
export class MessageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * One multi-row INSERT for a whole accept batch (group commit). Rows are written as already
   * enqueued, since the queue hand-off follows at once; if it fails, `markNotEnqueued` undoes that,
   * and a crash in between is caught by the sweep's staleness rule.
   */
  /**
   * Returns, for each message NOT inserted because its Idempotency-Key was used before in its
   * project, the message made then (null if that one vanished meanwhile, with its project).
   */
  async insertMany(messages: NewMessage[]): Promise<Map<string, IdempotentMatch | null>> {
    const params: unknown[] = [];
    const tuples = messages.map((m) => {
      const at = m.createdAt.toISOString();
      const events: MessageEvent[] = [{ status: 'queued', at }];
      const values = [
        m.id,
        m.projectId,
        m.connectorId,
        m.connectorType,
        m.to,
        m.body,
        m.subject,
        m.metadata,
        m.whatsappTemplate,
        'queued',
        JSON.stringify(events),
        m.createdAt,
        m.createdAt,
        m.createdAt,
        m.idempotency?.key ?? null,
        m.idempotency?.fingerprint ?? null,
        storableTraceContext(m.trace),
      ];
      const base = params.length;
      params.push(...values);
      return `(${values.map((_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    const inserted: Array<{ id: string }> = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO messages (id, project_id, connector_id, connector_type, "to", body, subject, metadata, whatsapp_template, status, events, created_at, updated_at, enqueued_at, idempotency_key, request_fingerprint, trace_context)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id, project_id, connector_id, connector_type, created_at
       ), ${statusRollup('inserted', { queued: 'created_at' })}
       SELECT id FROM inserted`,
      params,
    );
    if (inserted.length === messages.length) return new Map();
    const kept = new Set(inserted.map((row) => row.id));
    return this.idempotentMatches(messages.filter((m) => !kept.has(m.id)));
  }

  /** The messages already made under these messages' Idempotency-Keys, by the new message's id. */
  private async idempotentMatches(skipped: NewMessage[]): Promise<Map<string, IdempotentMatch | null>> {
    const rows: Array<{
      id: string;
      project_id: string;
      idempotency_key: string;
      request_fingerprint: string | null;
      connector_id: string;
      connector_type: MessageEntity['connectorType'];
      to: string;
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT m.id, m.project_id, m.idempotency_key, m.request_fingerprint, m.connector_id, m.connector_type, m."to", m.created_at
           FROM messages m JOIN unnest($1::uuid[], $2::text[]) AS k(project_id, idempotency_key)
             ON m.project_id = k.project_id AND m.idempotency_key = k.idempotency_key`,
      [skipped.map((m) => m.projectId), skipped.map((m) => m.idempotency?.key ?? null)],
    );
    const byKey = new Map(rows.map((row) => [`${row.project_id}:${row.idempotency_key}`, row]));
    const matches = new Map<string, IdempotentMatch | null>();
    for (const m of skipped) {
      const row = byKey.get(`${m.projectId}:${m.idempotency?.key}`);
      if (!row) {
        matches.set(m.id, null);
        continue;
      }
      // The answer the first request got: accepted as queued, whatever the message did since.
      matches.set(m.id, {
        fingerprint: row.request_fingerprint,
        message: {
          id: row.id,
          status: 'queued',
          connector: { id: row.connector_id, type: row.connector_type },
          to: row.to,
          createdAt: row.created_at.toISOString(),
        },
      });
    }
    return matches;
  }

  async markNotEnqueued(ids: string[]): Promise<void> {
    if (ids.length) await this.dataSource.query(`UPDATE messages SET enqueued_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async get(projectId: string, id: string): Promise<MessageWithEvents> {
    const rows: MessageViewRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_VIEW_COLUMNS}, events FROM messages WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    if (rows.length === 0) throw DomainError.notFound('message');
    return { ...toMessageView(rows[0]), events: rows[0].events ?? [] };
  }

  /** Newest first, keyset-paginated on (created_at, id) so pages stay stable under inserts. */
  async list(q: ListMessagesQuery): Promise<MessagePage> {
    const where = ['project_id = $1'];
    const params: unknown[] = [q.projectId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.status) add('status = ?', q.status);
    if (q.connector) add(UUID_PATTERN.test(q.connector) ? 'connector_id = ?' : 'connector_type = ?', q.connector);
    if (q.to) add('"to" = ?', q.to);
    if (q.since) add('created_at >= ?', q.since);
    if (q.until) add('created_at < ?', q.until);
    if (q.cursor) {
      const [at, id] = decodePageCursor(q.cursor);
      params.push(at, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows: MessageViewRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_VIEW_COLUMNS} FROM messages WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toMessageView),
      nextCursor: rows.length > q.limit ? encodePageCursor(page[page.length - 1].created_at, page[page.length - 1].id) : null,
    };
  }

  /**
   * Applies a batch of attempt outcomes in one statement. Each status moves only where the state
   * machine allows (a receipt may already have moved it further); each attempt is always recorded.
   * Returns the messages that were updated, with their connector and provider id.
   */
  async applyOutcomes(outcomes: AttemptOutcome[]): Promise<AppliedOutcome[]> {
    const applied: AppliedOutcome[] = [];
    // One statement may touch a row once: outcomes for the same message go in separate rounds.
    for (const round of roundsWithUniqueIds(outcomes)) {
      const rows = round.map((o) => {
        const { target, events } = outcomeEvents(o);
        return {
          id: o.messageId,
          project_id: o.projectId,
          target,
          movable: statusesThatCanMoveTo(target),
          events,
          attempt: o.attempt,
          external_id: o.externalId ?? null,
          finished_at: o.finishedAt,
          error_code: o.error?.code ?? null,
          error_message: o.error?.message ?? null,
        };
      });
      // `before` locks the rows in id order and reads them as they were: the rollups count only what this statement changed.
      const result: Array<{ id: string; connector_id: string; external_id: string | null; status: MessageStatus }> =
        await this.dataSource.query(
          `WITH x AS (
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, project_id uuid, target text, movable text[], events jsonb,
               attempt int, external_id text, finished_at timestamptz, error_code text, error_message text)
           ), before AS MATERIALIZED (
             SELECT m.id, m.sent_at, m.failed_at FROM messages m JOIN x ON m.id = x.id AND m.project_id = x.project_id
             WHERE m.status <> 'failed' ORDER BY m.id FOR UPDATE OF m
           ), moved AS (
             UPDATE messages m SET
               status = CASE WHEN m.status = ANY(x.movable) THEN x.target ELSE m.status END,
               events = m.events || x.events,
               attempts = GREATEST(m.attempts, x.attempt),
               external_id = COALESCE(x.external_id, m.external_id),
               sent_at = CASE WHEN x.target = 'sent' AND m.sent_at IS NULL THEN x.finished_at ELSE m.sent_at END,
               failed_at = CASE WHEN x.target = 'failed' AND m.status = ANY(x.movable) THEN COALESCE(m.failed_at, x.finished_at) ELSE m.failed_at END,
               error_code = CASE WHEN x.target = 'sent' THEN NULL ELSE x.error_code END,
               error_message = CASE WHEN x.target = 'sent' THEN NULL ELSE x.error_message END,
               updated_at = now()
             FROM x, before b
             WHERE m.id = x.id AND m.project_id = x.project_id AND b.id = m.id AND m.status <> 'failed'
             RETURNING m.id, m.project_id, m.connector_id, m.connector_type, m.created_at, m.external_id, m.status, m.sent_at, m.failed_at,
               m.error_code, b.sent_at AS sent_before, b.failed_at AS failed_before
           ), ${statusRollup('moved', {
             sent: firstTime('sent_before', 'sent_at'),
             failed: firstTime('failed_before', 'failed_at'),
             errorCode: 'error_code',
           })}
           SELECT id, connector_id, external_id, status FROM moved`,
          [JSON.stringify(rows)],
        );
      applied.push(...result.map((r) => ({ id: r.id, connectorId: r.connector_id, externalId: r.external_id, status: r.status })));
    }
    return applied;
  }

  /** Unfinished messages the queue may have lost: never enqueued, or quiet for too long. */
  async findStale(enqueueGraceMs: number, staleAfterMs: number, limit: number): Promise<QueuedMessage[]> {
    const rows: QueuedMessage[] = await this.dataSource.query(
      `SELECT ${QUEUED_MESSAGE_COLUMNS} FROM messages
       WHERE status IN ('queued', 'sending')
         AND ((enqueued_at IS NULL AND created_at < now() - $1 * interval '1 millisecond')
           OR updated_at < now() - $2 * interval '1 millisecond')
       ORDER BY created_at LIMIT $3`,
      [enqueueGraceMs, staleAfterMs, limit],
    );
    return rows;
  }

  /**
   * Re-drives a failed message: back to queued with a fresh attempt budget, recorded as an event.
   * Returns the job to queue, or null when the message is not failed (or not this project's).
   */
  async redrive(
    projectId: string,
    id: string,
  ): Promise<{ type: MessageEntity['connectorType']; job: SendJobData; traceContext: string | null } | null> {
    const at = new Date().toISOString();
    const event: MessageEvent[] = [{ status: 'queued', at, detail: 're-queued by a retry request' }];
    const [rows]: [QueuedMessage[], number] = await this.dataSource.query(
      `UPDATE messages SET status = 'queued', redrives = redrives + 1, error_code = NULL, error_message = NULL,
         events = events || $3::jsonb, updated_at = now(), enqueued_at = now()
       WHERE project_id = $1 AND id = $2 AND status = 'failed'
       RETURNING ${QUEUED_MESSAGE_COLUMNS}`,
      [projectId, id, JSON.stringify(event)],
    );
    return rows.length ? { ...sendJobFor(rows[0]), traceContext: rows[0].traceContext ?? null } : null;
  }

  /** Pushes updated_at forward so a re-queued message is not swept again at once. */
  async touch(ids: string[]): Promise<void> {
    if (ids.length)
      await this.dataSource.query(`UPDATE messages SET enqueued_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
