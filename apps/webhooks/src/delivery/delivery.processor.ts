import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ChangeChannel, WebhookDeliveryJobData } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { contextFrom, inSpan, logBackgroundFailure, SpanKind } from '@app/observability';
import { ChangeFeed } from '@app/transport';
import { AttemptRecord, WebhookRepository } from '../webhook.repository';
import { judgeAttempt, MAX_ATTEMPTS } from './delivery-policy';
import { WebhookSender } from './webhook-sender';
import { WebhookSigner } from './webhook-signer';

/** Thrown to have BullMQ run the job again after `delayMs` (the delivery worker's backoff reads it). */
export class RetryDelivery extends Error {
  constructor(readonly delayMs: number) {
    super(`delivery retried in ${delayMs} ms`);
    this.name = 'RetryDelivery';
  }
}

/**
 * One run of a delivery job is one attempt: sign the stored body with the endpoint's secrets and this
 * attempt's time, POST it, record the attempt, then stop (2xx, or the last attempt), disable the
 * endpoint (410), or throw RetryDelivery to come back on the schedule.
 */
@Injectable()
export class DeliveryProcessor {
  private readonly logger = new Logger(DeliveryProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: WebhookRepository,
    private readonly signer: WebhookSigner,
    private readonly sender: WebhookSender,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
  ) {}

  /** One attempt, as a span in the trace of the status change (or request) that queued it. */
  process(job: Job<WebhookDeliveryJobData>): Promise<void> {
    const { trace, messageId, type, endpointId } = job.data;
    const attempt = Math.min(job.attemptsMade + 1, MAX_ATTEMPTS);
    const attributes = { 'messagejs.webhook.endpoint_id': endpointId, 'messagejs.webhook.event': type, 'messagejs.attempt': attempt };
    const span = { kind: SpanKind.CLIENT, parent: contextFrom(trace), attributes, ...(messageId ? { messageId } : {}) };
    return inSpan('webhook.deliver', span, () => this.attempt(job, attempt));
  }

  private async attempt(job: Job<WebhookDeliveryJobData>, attempt: number): Promise<void> {
    const { body, trace: _trace, ...ref } = job.data;
    const endpoint = await this.repository.endpoint(ref.projectId, ref.endpointId);
    if (!endpoint) return; // deleted, and its delivery log with it
    const at = new Date();
    const record = (r: Omit<AttemptRecord, 'attempt' | 'body' | 'at'>) => this.repository.recordAttempt(ref, { attempt, body, at, ...r });

    if (endpoint.disabled) {
      const error = `not sent: the endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}`;
      await record({ status: 'failed', responseStatus: null, durationMs: null, error, nextAttemptAt: null });
      return;
    }

    const timestamp = Math.floor(at.getTime() / 1000);
    const result = await this.sender.post(
      endpoint.url,
      this.signer.headers(
        endpoint.secretsSealed.map((sealed) => this.box.open(sealed)),
        ref.webhookId,
        timestamp,
        body,
      ),
      body,
    );
    const verdict = judgeAttempt(result.status, attempt, this.config.webhookRetryScale);
    this.logger.debug(`webhook ${ref.type} to endpoint ${ref.endpointId}, attempt ${attempt}: ${result.status ?? result.error}`);
    const answer = { responseStatus: result.status, durationMs: result.durationMs, error: result.error };

    switch (verdict.status) {
      case 'succeeded':
        await record({ ...answer, status: 'succeeded', nextAttemptAt: null });
        return;
      case 'gone': {
        const reason = 'the endpoint answered 410 Gone';
        await record({ ...answer, status: 'failed', error: `${reason}: endpoint disabled`, nextAttemptAt: null });
        if (await this.repository.disable(ref.projectId, ref.endpointId, reason)) {
          this.logger.warn(`webhook endpoint ${ref.endpointId} answered 410 Gone: disabled`);
          await this.changes
            .publish(ChangeChannel.WebhooksChanged, ref.projectId)
            .catch(logBackgroundFailure(this.logger, 'change-publish', { projectId: ref.projectId, endpointId: ref.endpointId }));
        }
        return;
      }
      case 'failed':
        await record({ ...answer, status: 'failed', nextAttemptAt: null });
        this.logger.warn(`webhook ${ref.webhookId} to endpoint ${ref.endpointId} failed after ${attempt} attempts`);
        return;
      case 'retrying':
        await record({ ...answer, status: 'retrying', nextAttemptAt: new Date(at.getTime() + result.durationMs + verdict.delayMs) });
        throw new RetryDelivery(verdict.delayMs);
    }
  }
}
