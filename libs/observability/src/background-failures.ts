import type { LoggerService } from '@nestjs/common';
import { Counter, register } from 'prom-client';

/**
 * Background steps that may fail without failing the request or job that ran them. Each failure is
 * one warn line (naming the messages it concerns) and one count of messagejs_background_failures_total.
 */
export type BackgroundStep =
  /** A status change was not handed to the webhooks app: the customer's webhook for it is lost. */
  | 'status-event'
  /** A status event's fan-out to webhook endpoints gave up after its last attempt: those webhooks are lost. */
  | 'webhook-fanout'
  /** A webhook delivery job gave up on an unexpected error (not an endpoint's answer, which the delivery log keeps). */
  | 'webhook-delivery'
  /** A committed message missed its queue hand-off: the outbox sweep re-queues it. */
  | 'send-enqueue'
  /** The hand-off failed and the row could not be marked for the sweep either: it is swept once stale. */
  | 'mark-not-enqueued'
  /** A retrying attempt was not recorded in the message's history (the retry itself goes ahead). */
  | 'attempt-report'
  /** A provider's retry-after was not shared with the other workers (this job still waits it out). */
  | 'throttle-pause'
  /** Cluster-wide sent/failed counters were not added to Redis (kept and added at the next flush). */
  | 'send-metrics'
  /** Other processes were not told to drop a cached item (their cache expires on its own). */
  | 'change-publish';

/** On the default registry: every app's /metrics serves it. */
export const backgroundFailures = new Counter({
  name: 'messagejs_background_failures_total',
  help: 'Background steps that failed and were given up (a lost status event costs a webhook), by step',
  labelNames: ['step'],
  registers: [register],
});

export interface FailureSubject {
  messageId?: string;
  messageIds?: readonly string[];
  projectId?: string;
  endpointId?: string;
  connectorId?: string;
}

/** Logs and counts one failed background step; `count`: how many items it lost (the messages of a batch). */
export function recordBackgroundFailure(
  logger: LoggerService,
  step: BackgroundStep,
  err: unknown,
  subject: FailureSubject = {},
  count = 1,
): void {
  backgroundFailures.inc({ step }, count);
  const reason = err instanceof Error ? err.message : String(err);
  logger.warn({ step, ...subject, reason }, `background step ${step} failed: ${reason}`);
}

/** For `.catch(...)`: the promise settles either way, the failure logged and counted. */
export function logBackgroundFailure(logger: LoggerService, step: BackgroundStep, subject: FailureSubject = {}, count = 1) {
  return (err: unknown): void => recordBackgroundFailure(logger, step, err, subject, count);
}
