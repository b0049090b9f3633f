import { trace } from '@opentelemetry/api';
import {
  contextFrom,
  contextFromStored,
  inSpan,
  logContext,
  messageTrace,
  startTracing,
  storableTraceContext,
  traceCarrier,
  withMessageId,
  withTraceHeaders,
} from './tracing';

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

describe('a trace context stored with a message', () => {
  beforeAll(() => startTracing('unit', undefined));
  const traceparent = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`;

  it('keeps traceparent and tracestate, drops baggage, and reads back as the same context', () => {
    const stored = storableTraceContext({ traceparent, tracestate: 'vendor=a b,other=c', baggage: 'messagejs.request_id=r1' });
    expect(stored).toBe(`${traceparent} vendor=a b,other=c`);
    expect(trace.getSpanContext(contextFromStored(stored))).toMatchObject({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) });
  });

  it('stays bounded: a tracestate past 512 characters is dropped, a malformed traceparent stores nothing', () => {
    expect(storableTraceContext({ traceparent, tracestate: `v=${'x'.repeat(600)}` })).toBe(traceparent);
    expect(storableTraceContext({ traceparent: 'not-a-traceparent' })).toBeNull();
    expect(storableTraceContext(undefined)).toBeNull();
  });

  it("puts later work in the message's trace, linked to the span that caused it", async () => {
    const stored = storableTraceContext({ traceparent });
    const { parent, links, current } = await inSpan('receipt request', {}, async () => ({
      ...messageTrace(stored),
      current: trace.getActiveSpan()?.spanContext(),
    }));
    expect(trace.getSpanContext(parent)?.traceId).toBe('ab'.repeat(16));
    expect(links.map((l) => l.context.spanId)).toEqual([current?.spanId]);
  });

  it('continues the active span when it is already in the message trace, or when nothing was stored', async () => {
    await inSpan('reconcile', { parent: contextFromStored(traceparent) }, async (span) => {
      expect(trace.getSpanContext(messageTrace(traceparent).parent)?.spanId).toBe(span.spanContext().spanId);
      expect(messageTrace(traceparent).links).toEqual([]);
      expect(trace.getSpanContext(messageTrace(null).parent)?.spanId).toBe(span.spanContext().spanId);
    });
  });
});
