import { AttemptOutcome, boundedProviderOutcome, MessageEvent, MessageStatus } from '@app/contracts';

/** What one attempt adds to a message's history, and the status it moves towards. */
export function outcomeEvents(o: AttemptOutcome): { target: MessageStatus; events: MessageEvent[] } {
  if (o.result === 'sent') {
    return {
      target: 'sent',
      events: [
        { status: 'sending', at: o.startedAt, attempt: o.attempt },
        { status: 'sent', at: o.finishedAt, attempt: o.attempt, detail: `accepted by the provider as ${o.externalId}` },
      ],
    };
  }
  const target: MessageStatus = o.result === 'failed' ? 'failed' : 'sending';
  const reason = `${o.error?.code ?? 'error'}: ${o.error?.message ?? 'unknown error'}`;
  const detail =
    o.result === 'failed'
      ? `attempt ${o.attempt} failed, giving up: ${reason}`
      : `attempt ${o.attempt} failed: ${reason}; retrying in ${Math.round((o.retryInMs ?? 0) / 1000)} s`;
  const event: MessageEvent = { status: target, at: o.finishedAt, attempt: o.attempt, code: o.error?.code, detail };
  if (o.provider) event.provider = boundedProviderOutcome(o.provider);
  return { target, events: [event] };
}

/** Outcomes split so that no round names a message twice (one statement may touch a row once). */
export function roundsWithUniqueIds(outcomes: AttemptOutcome[]): AttemptOutcome[][] {
  const rounds: AttemptOutcome[][] = [];
  const seen: Array<Set<string>> = [];
  for (const o of outcomes) {
    let i = seen.findIndex((ids) => !ids.has(o.messageId));
    if (i < 0) {
      i = rounds.push([]) - 1;
      seen.push(new Set());
    }
    rounds[i].push(o);
    seen[i].add(o.messageId);
  }
  return rounds;
}
