/**
 * W3C trace context (`traceparent`, `tracestate`, `baggage`) carried inside a job or an RPC envelope,
 * so the process that picks the work up continues the trace of the one that handed it over.
 */
export type TraceCarrier = Record<string, string>;
