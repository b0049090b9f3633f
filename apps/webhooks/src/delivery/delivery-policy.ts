import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_MS } from '@app/contracts';

export const MAX_ATTEMPTS = WEBHOOK_MAX_ATTEMPTS;

/** What happens after attempt `attempt` got `responseStatus` (null: no answer). */
export type AttemptVerdict =
  | { status: 'succeeded' }
  /** 410 Gone: the receiver wants no more; the endpoint is disabled. */
  | { status: 'gone' }
  | { status: 'retrying'; delayMs: number }
  | { status: 'failed' };

/** 2xx is success, 410 disables the endpoint, anything else (no answer included) is retried on the schedule, scaled by `scale`. */
export function judgeAttempt(responseStatus: number | null, attempt: number, scale = 1): AttemptVerdict {
  if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) return { status: 'succeeded' };
  if (responseStatus === 410) return { status: 'gone' };
  const delayMs = retryDelayMs(attempt, scale);
  return delayMs === null ? { status: 'failed' } : { status: 'retrying', delayMs };
}

/** The wait after failed attempt n (1-based), or null after the last one. */
export function retryDelayMs(attempt: number, scale = 1): number | null {
  const base = WEBHOOK_RETRY_SCHEDULE_MS[attempt - 1];
  return base === undefined ? null : Math.max(1, Math.round(base * scale));
}
