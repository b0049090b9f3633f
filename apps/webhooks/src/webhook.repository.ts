import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebhookDeliveryJobData, WebhookDeliveryStatus, WebhookEventType } from '@app/contracts';

export interface EndpointForDelivery {
  url: string;
  /** The current secret, then the rotated-out one while it is still honoured (24 h after a rotation). */
  secretsSealed: string[];
  disabledReason: string | null;
  disabled: boolean;
}

/** One event bound for one endpoint: what every attempt row repeats (a delivery job without its body). */
export type DeliveryRef = Omit<WebhookDeliveryJobData, 'body'>;

export interface AttemptRecord {
  attempt: number;
  status: WebhookDeliveryStatus;
  /** The exact body of the attempt (stored as jsonb). */
  body: string;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  /** Always set from here (millisecond precision), so keyset cursors built from JS dates stay exact. */
  at: Date;
}

const FOREIGN_KEY_VIOLATION = '23503';

/** Every query names the project: an endpoint or message of another project is simply not there. */
@Injectable()
export class WebhookRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async subscribedEndpoints(projectId: string, type: WebhookEventType): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM webhook_endpoints WHERE project_id = $1 AND disabled_at IS NULL AND $2 = ANY(events) ORDER BY created_at`,
      [projectId, type],
    );
    return rows.map((r) => r.id);
  }

  async endpoint(projectId: string, endpointId: string): Promise<EndpointForDelivery | null> {
    const rows: Array<{
      url: string;
      secret_sealed: string;
      previous_secret_sealed: string | null;
      disabled_at: Date | null;
      disabled_reason: string | null;
    }> = await this.dataSource.query(
      `SELECT url, secret_sealed, disabled_at, disabled_reason,
         CASE WHEN previous_secret_expires_at > now() THEN previous_secret_sealed END AS previous_secret_sealed
       FROM webhook_endpoints WHERE project_id = $1 AND id = $2`,
      [projectId, endpointId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    const secretsSealed = r.previous_secret_sealed ? [r.secret_sealed, r.previous_secret_sealed] : [r.secret_sealed];
    return { url: r.url, secretsSealed, disabled: r.disabled_at !== null, disabledReason: r.disabled_reason };
  }

  /** Attempt 1 of each delivery as `pending`, in one statement; a fan-out that runs twice adds nothing. */
  async insertPending(refs: DeliveryRef[], body: string, at: Date): Promise<void> {
    if (refs.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (endpoint_id, project_id, message_id, event_type, webhook_id, payload, attempt, status, created_at)
       SELECT x.endpoint_id, x.project_id, x.message_id, x.event_type, x.webhook_id, $2::jsonb, 1, 'pending', $3::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS x(endpoint_id uuid, project_id uuid, message_id uuid, event_type text, webhook_id text)
       ON CONFLICT ON CONSTRAINT webhook_deliveries_attempt DO NOTHING`,
      [
        JSON.stringify(
          refs.map((r) => ({
            endpoint_id: r.endpointId,
            project_id: r.projectId,
            message_id: r.messageId,
            event_type: r.type,
            webhook_id: r.webhookId,
          })),
        ),
        body,
        at.toISOString(),
      ],
    );
  }

  /** Writes an attempt's outcome over its row (the pending one, or one left by a run that crashed). */
  async recordAttempt(ref: DeliveryRef, a: AttemptRecord): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO webhook_deliveries (endpoint_id, project_id, message_id, event_type, webhook_id, payload, attempt, status,
           response_status, duration_ms, error, next_attempt_at, created_at, replay)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT ON CONSTRAINT webhook_deliveries_attempt DO UPDATE SET
           payload = EXCLUDED.payload, status = EXCLUDED.status, response_status = EXCLUDED.response_status,
           duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, next_attempt_at = EXCLUDED.next_attempt_at,
           created_at = EXCLUDED.created_at`,
        [
          ref.endpointId,
          ref.projectId,
          ref.messageId,
          ref.type,
          ref.webhookId,
          a.body,
          a.attempt,
          a.status,
          a.responseStatus,
          a.durationMs,
          a.error,
          a.nextAttemptAt?.toISOString() ?? null,
          a.at.toISOString(),
          ref.replay ?? 0,
        ],
      );
    } catch (err) {
      // The endpoint was deleted meanwhile: its log went with it, and so does this attempt.
      if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
    }
  }

  /** Returns false when it was already disabled (another delivery got the 410 first). */
  async disable(projectId: string, endpointId: string, reason: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $3, updated_at = now()
       WHERE project_id = $1 AND id = $2 AND disabled_at IS NULL`,
      [projectId, endpointId, reason],
    );
    return result[1] > 0;
  }

  /** At most `limit` attempt rows older than `before`; returns how many went. */
  async deleteDeliveriesBefore(before: Date, limit: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < $1 LIMIT $2)`,
      [before, limit],
    );
    return result[1];
  }
}
