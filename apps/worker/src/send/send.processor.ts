import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AttemptOutcome, DomainError, ErrorCode, ProviderOutcome, SendJobData } from '@app/contracts';
import { MessageReadRepository } from '@app/database';
import { ConnectorLoader, maxConcurrentOf, maxPerSecondOf, ProviderError, ProviderErrorKind } from '@app/connectors';
import { contextFrom, inSpan, logBackgroundFailure, SpanKind, traceCarrier } from '@app/observability';
import { ConnectorThrottle } from './connector-throttle';
import { OutcomeReporter } from './outcome-reporter';
import { backoffDelayMs, RetryLater } from './retry-policy';
import { SendMetrics } from './send.metrics';

/** Waits up to this long in-process for a throttle slot; longer waits park the job as delayed. */
const MAX_INLINE_WAIT_MS = 1_000;
/** A job that finds all of its connector's in-flight slots taken waits about this long, parked, before trying again. */
const SLOT_RETRY_MS = 1_000;

interface Failure {
  kind: ProviderErrorKind;
  code: string;
  message: string;
  retryAfterMs?: number;
  /** Set when the provider was called: what it answered, for the message's history. */
  provider?: ProviderOutcome;
}

function classify(err: unknown): Failure {
  if (err instanceof ProviderError) {
    const provider = { httpStatus: err.httpStatus, code: err.code, message: err.message };
    return { kind: err.kind, code: err.code, message: err.message, retryAfterMs: err.retryAfterMs, provider };
  }
  if (err instanceof DomainError && err.code === ErrorCode.NotFound) {
    return { kind: 'permanent', code: 'connector_deleted', message: 'the connector was deleted before the message was sent' };
  }
  return { kind: 'retryable', code: 'internal', message: 'the worker could not complete the send' };
}

/**
 * One provider call per job run (invariant 4). If the dispatcher cannot be told the outcome, it is
 * written into the job first, so the re-run reports that answer instead of sending again; a worker
 * that dies during the call leaves the outcome unknown, and the re-run is a new, recorded attempt.
 */
@Injectable()
export class SendProcessor {
  private readonly logger = new Logger(SendProcessor.name);

  constructor(
    private readonly messages: MessageReadRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly loader: ConnectorLoader,
    private readonly reporter: OutcomeReporter,
    private readonly metrics: SendMetrics,
    private readonly throttle: ConnectorThrottle,
  ) {}

  /** One job run, as a span in the message's trace; its log lines carry the message id. */
  process(job: Job<SendJobData>, token?: string): Promise<void> {
    const parent = contextFrom(job.data.trace);
    return inSpan('message.send', { kind: SpanKind.CONSUMER, parent, messageId: job.data.messageId }, () => this.run(job, token));
  }

  private async run(job: Job<SendJobData>, token?: string): Promise<void> {
    const data = job.data;
    if (data.outcome) return this.reporter.report(data.outcome);
    // A first attempt of a job the dispatcher just queued cannot have run before; anything else might have.
    if ((data.recovered || job.attemptsStarted > 1) && !(await this.stillToSend(data))) return;

    // Failed attempts plus runs cut short by a crash (stalls): each was a real try at the provider.
    const attempt = job.attemptsMade + (job.stalledCounter ?? 0) + 1;
    let outcome: AttemptOutcome;
    let connectorType = 'unknown';
    const trace = traceCarrier();
    let base = {
      projectId: data.projectId,
      messageId: data.messageId,
      attempt,
      startedAt: new Date().toISOString(),
      ...(trace ? { trace } : {}),
    };
    try {
      const { connector, entity } = await this.loader.load(data.projectId, data.connectorId);
      connectorType = entity.type;
      const slot = await this.takeSlot(job, token, entity.id, maxConcurrentOf(entity.config));
      let result: Awaited<ReturnType<typeof connector.sendMessage>>;
      try {
        await this.awaitThrottle(job, token, entity.id, maxPerSecondOf(entity.type, entity.config));
        base = { ...base, startedAt: new Date().toISOString() };
        const providerSpan = {
          kind: SpanKind.CLIENT,
          attributes: { 'messagejs.connector.type': connectorType, 'messagejs.attempt': attempt },
        };
        result = await inSpan(`provider ${connectorType}`, providerSpan, () =>
          connector.sendMessage({
            messageId: data.messageId,
            to: data.to,
            text: data.text,
            subject: data.subject,
            whatsappTemplate: data.whatsappTemplate,
          }),
        );
      } finally {
        await slot
          .release()
          .catch((err: Error) => this.logger.warn(`could not release a send slot (its lease will expire): ${err.message}`));
      }
      outcome = { ...base, finishedAt: new Date().toISOString(), result: 'sent', externalId: result.externalId };
      this.metrics.sent(connectorType);
      this.logger.debug(`attempt ${attempt}: ${connectorType} accepted the message as ${result.externalId}`);
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const failure = classify(err);
      const error = { code: failure.code, message: failure.message };
      const provider = failure.provider ? { provider: failure.provider } : {};
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (failure.kind === 'permanent' || lastAttempt) {
        outcome = { ...base, finishedAt: new Date().toISOString(), result: 'failed', error, ...provider };
        this.metrics.failed(connectorType);
      } else {
        const delayMs =
          failure.retryAfterMs ?? backoffDelayMs(job.attemptsMade + 1, this.config.retryBaseDelayMs, this.config.retryMaxDelayMs);
        if (failure.kind === 'rateLimited' && failure.retryAfterMs) {
          // The provider's wait applies to the whole connector, not only this message.
          const { entity } = await this.loader.load(data.projectId, data.connectorId);
          await this.throttle
            .pause(entity.id, failure.retryAfterMs)
            .catch(logBackgroundFailure(this.logger, 'throttle-pause', { messageId: data.messageId, connectorId: entity.id }));
        }
        await this.reporter
          .report({ ...base, finishedAt: new Date().toISOString(), result: 'retrying', error, ...provider, retryInMs: delayMs })
          .catch(logBackgroundFailure(this.logger, 'attempt-report', { messageId: data.messageId }));
        throw new RetryLater(delayMs, `${failure.code}: ${failure.message}`);
      }
    }
    try {
      await this.reporter.report(outcome);
    } catch (err) {
      // Keep the provider's answer with the job, so the retry reports it rather than sending again.
      await job.updateData({ ...data, outcome });
      throw err;
    }
  }

  /**
   * One of the connector's maxConcurrent in-flight slots; when all are taken (a slow or hanging
   * provider) the job is parked, not held, so this worker's capacity goes to other connectors.
   */
  private async takeSlot(job: Job<SendJobData>, token: string | undefined, connectorId: string, max: number) {
    const slot = await this.throttle.takeSlot(connectorId, max);
    if (slot) return slot;
    await job.moveToDelayed(Date.now() + Math.round(SLOT_RETRY_MS * (0.5 + Math.random())), token);
    throw new DelayedError();
  }

  /** Takes a slot of the connector's send rate; a long wait parks the job (no attempt is used). */
  private async awaitThrottle(job: Job<SendJobData>, token: string | undefined, connectorId: string, perSecond: number): Promise<void> {
    for (;;) {
      const wait = await this.throttle.acquire(connectorId, perSecond);
      if (wait === 0) return;
      if (wait > MAX_INLINE_WAIT_MS) {
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** A job for a message that already reached sent/failed (a duplicate after a Redis restart) sends nothing. */
  private async stillToSend(data: SendJobData): Promise<boolean> {
    const status = await this.messages.status(data.projectId, data.messageId);
    return status === 'queued' || status === 'sending';
  }
}
