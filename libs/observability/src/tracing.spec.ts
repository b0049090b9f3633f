import { contextFrom, inSpan, logContext, startTracing, traceCarrier, withMessageId, withTraceHeaders } from './tracing';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe('tracing with no OTLP endpoint', () => {
  beforeAll(() => startTracing('unit', undefined));

  it('still makes a trace id, names it on log lines, and hands it on in a carrier', async () => {
    const seen = await inSpan('work', {}, async () => ({ log: logContext(), carrier: traceCarrier() }));
    expect(seen.log.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(TRACEPARENT.exec(seen.carrier?.traceparent ?? '')?.[1]).toBe(seen.log.traceId);
  });

  it('continues the trace of a carrier in a child span, with the message id on its log lines', async () => {
    const traceId = 'ab'.repeat(16);
    const carrier = { traceparent: `00-${traceId}-${'cd'.repeat(8)}-01` };
    const seen = await inSpan('child', { parent: contextFrom(carrier), messageId: 'm-1' }, async () => ({
      log: logContext(),
      headers: withTraceHeaders({}),
    }));
    expect(seen.log).toMatchObject({ traceId, messageId: 'm-1' });
    const [, sentTrace, sentSpan] = TRACEPARENT.exec(seen.headers.traceparent) ?? [];
    expect([sentTrace, sentSpan === 'cd'.repeat(8)]).toEqual([traceId, false]);
  });

  it('names no trace or message outside any work', () => {
    expect(logContext()).toEqual({});
    expect(withMessageId('m-2', () => logContext())).toEqual({ messageId: 'm-2' });
  });
});
