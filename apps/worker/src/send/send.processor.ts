import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AttemptOutcome, DomainError, ErrorCode, SendJobData } from '@app/contracts';
import { ConnectorLoader, ProviderError, ProviderErrorKind } from '@app/connectors';
import { RpcClient } from '@app/transport';
import { backoffDelayMs, RetryLater } from './retry-policy';
import { SendMetrics } from './send.metrics';

const RECORD_DEADLINE_MS = 120_000;

interface Failure {
  kind: ProviderErrorKind;
  code: string;
  message: string;
  retryAfterMs?: number;
}

function classify(err: unknown): Failure {
  if (err instanceof ProviderError) return { kind: err.kind, code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  if (err instanceof DomainError && err.code === ErrorCode.NotFound) {
    return { kind: 'permanent', code: 'connector_deleted', message: 'the connector was deleted before the message was sent' };
  }
  return { kind: 'retryable', code: 'internal', message: 'the worker could not complete the send' };
}

/**
 * One provider call per job run (invariant 4). The outcome is written into the job before it is
 * reported, so a worker that dies after the provider answered reports that answer on the re-run
 * instead of sending again; a worker that dies during the call leaves the outcome unknown, and the
 * re-run is a new, recorded attempt.
 */
@Injectable()
export class SendProcessor {
  private readonly logger = new Logger(SendProcessor.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly loader: ConnectorLoader,
    private readonly rpc: RpcClient,
    private readonly metrics: SendMetrics,
  ) {}

  async process(job: Job<SendJobData>): Promise<void> {
    const data = job.data;
    if (data.outcome) return this.record(data.outcome);
    if (!(await this.stillToSend(data))) return;

    const attempt = Math.max(1, job.attemptsStarted);
    const startedAt = new Date().toISOString();
    const base = { projectId: data.projectId, messageId: data.messageId, attempt, startedAt };
    let outcome: AttemptOutcome;
    let connectorType = 'unknown';
    try {
      const { connector, entity } = await this.loader.load(data.projectId, data.connectorId);
      connectorType = entity.type;
      const result = await connector.sendMessage({ messageId: data.messageId, to: data.to, text: data.text, subject: data.subject });
      outcome = { ...base, finishedAt: new Date().toISOString(), result: 'sent', externalId: result.externalId };
      await job.updateData({ ...data, outcome });
      this.metrics.sent(connectorType);
    } catch (err) {
      const failure = classify(err);
      const error = { code: failure.code, message: failure.message };
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (failure.kind === 'permanent' || lastAttempt) {
        outcome = { ...base, finishedAt: new Date().toISOString(), result: 'failed', error };
        this.metrics.failed(connectorType);
      } else {
        const delayMs = failure.retryAfterMs ?? backoffDelayMs(job.attemptsMade + 1);
        await this.record({ ...base, finishedAt: new Date().toISOString(), result: 'retrying', error, retryInMs: delayMs }).catch(() => undefined);
        throw new RetryLater(delayMs, `${failure.code}: ${failure.message}`);
      }
    }
    await this.record(outcome);
  }

  /** A job for a message that already reached sent/failed (a duplicate after a Redis restart) sends nothing. */
  private async stillToSend(data: SendJobData): Promise<boolean> {
    const rows: Array<{ status: string }> = await this.dataSource.query(
      'SELECT status FROM messages WHERE id = $1 AND project_id = $2',
      [data.messageId, data.projectId],
    );
    return rows.length === 1 && (rows[0].status === 'queued' || rows[0].status === 'sending');
  }

  /** Reports to the dispatcher, which owns the status; retried until it answers (bounded). */
  private async record(outcome: AttemptOutcome): Promise<void> {
    const deadline = Date.now() + RECORD_DEADLINE_MS;
    for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        await this.rpc.send('messages.recordAttempt', outcome, 10_000);
        return;
      } catch (err) {
        if (Date.now() + wait > deadline) throw err;
        this.logger.warn(`recording attempt of ${outcome.messageId} failed, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
