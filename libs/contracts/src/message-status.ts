export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const RANK: Record<Exclude<MessageStatus, 'failed'>, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
};

/**
 * The one rule for status moves (API.md): forward along queued → sending → sent → delivered → read,
 * and queued|sending|sent → failed. Anything else — backwards, sideways, out of a final state —
 * is refused, which is how late, duplicate and out-of-order receipts are ignored.
 */
export function canMove(from: MessageStatus, to: MessageStatus): boolean {
  if (from === 'failed') return false;
  if (to === 'failed') return from === 'queued' || from === 'sending' || from === 'sent';
  return RANK[to] > RANK[from];
}

/** Every status a message may be in for a move to `to` to apply (used in SQL guards). */
export function statusesThatCanMoveTo(to: MessageStatus): MessageStatus[] {
  return MESSAGE_STATUSES.filter((from) => canMove(from, to));
}

export function isFinal(status: MessageStatus): boolean {
  return status === 'failed' || status === 'read';
}
