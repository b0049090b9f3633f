/**
 * Exponential backoff with full jitter (AWS style): retry n waits a random time in
 * [0, min(cap, base·4^(n-1))], never under 250 ms. With the defaults (1 min base, 24 h cap) the seven
 * waits between eight attempts have ceilings 1 m, 4 m, 16 m, 64 m, 4.3 h, 17 h, 24 h: about a day in all on average.
 */
export function backoffDelayMs(retry: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 4 ** Math.max(0, retry - 1));
  return Math.max(Math.min(250, ceiling), Math.round(random() * ceiling));
}

/** Thrown to BullMQ to schedule the next attempt after exactly `delayMs` (already decided and recorded). */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
