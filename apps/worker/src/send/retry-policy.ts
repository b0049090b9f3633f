/** Exponential backoff with full jitter (AWS style): a random delay in [0, min(cap, base·2^(n-1))]. */
export function backoffDelayMs(attempt: number, baseMs = 2_000, capMs = 6 * 3600_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(250, Math.round(random() * ceiling));
}

/** Thrown to BullMQ to schedule the next attempt after exactly `delayMs` (already decided and recorded). */
export class RetryLater extends Error {
  constructor(readonly delayMs: number, message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}
