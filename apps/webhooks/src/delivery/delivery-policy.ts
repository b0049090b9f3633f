/** The waits after a failed attempt (API.md: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h): 8 attempts over about 42 hours. */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 24 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

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
  const base = RETRY_SCHEDULE_MS[attempt - 1];
  return base === undefined ? null : Math.max(1, Math.round(base * scale));
}
