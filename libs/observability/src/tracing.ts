import { subscribe } from 'node:diagnostics_channel';
import {
  Attributes,
  context,
  Context,
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  Link,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  AlwaysOnSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TraceCarrier } from '@app/contracts';

const tracer = () => trace.getTracer('messagejs');
const MESSAGE_ID = createContextKey('messagejs.messageId');
export const REQUEST_ID_BAGGAGE = 'messagejs.request_id';
/** Only the trace context goes to providers and customers' endpoints: baggage stays inside the platform. */
const externalPropagator = new W3CTraceContextPropagator();

let provider: NodeTracerProvider | undefined;

/**
 * Installs the tracer before Nest boots. With an OTLP endpoint every span is exported (as this app's
 * `service.name`); without one, spans are never recorded, but trace ids are still made and carried,
 * so logs of one message or request share a traceId across apps at the cost of an id and a context.
 */
export function startTracing(app: string, otlpEndpoint: string | undefined): void {
  if (provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: app }),
    sampler: otlpEndpoint ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
    spanProcessors: otlpEndpoint
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/(?<!\/)\/+$/, '')}/v1/traces` }))]
      : [],
  });
  provider.register();
  // Any fetch made inside a span carries the caller's trace context (the connectors' ProviderHttp adds it itself).
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { addHeader(name: string, value: string): unknown } };
    for (const [name, value] of Object.entries(withTraceHeaders({}))) request.addHeader(name, value);
  });
}

/** Sends the spans still buffered; called on shutdown, bounded by the exporter's own timeout. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

/** The active trace context as a carrier for a job or an RPC envelope (trace context and baggage). */
export function traceCarrier(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier, defaultTextMapSetter);
  return Object.keys(carrier).length ? carrier : undefined;
}

/** The context a carrier describes (the root context when there is none). */
export function contextFrom(carrier: TraceCarrier | Record<string, string | string[] | undefined> | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter) : ROOT_CONTEXT;
}

/** Adds `traceparent`/`tracestate` of the active span to headers of a call leaving the platform. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  externalPropagator.inject(context.active(), headers, defaultTextMapSetter);
  return headers;
}

/** W3C allows vendors to drop a tracestate past 512 characters; a stored one is never longer. */
const MAX_STORED_TRACESTATE = 512;
const STORED_TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The W3C trace context of a carrier as one bounded string to store with a record: `traceparent`,
 * then a space and `tracestate` when there is one (a traceparent has no space). Baggage is not kept:
 * it belongs to the request, not to the record. Null when the carrier has no valid traceparent.
 */
export function storableTraceContext(carrier: TraceCarrier | undefined): string | null {
  const parent = carrier?.traceparent;
  if (!parent || !STORED_TRACEPARENT.test(parent)) return null;
  const state = carrier.tracestate?.trim();
  return state && state.length <= MAX_STORED_TRACESTATE ? `${parent} ${state}` : parent;
}

/** The context a stored trace context (`storableTraceContext`) describes; the root context for none. */
export function contextFromStored(stored: string | null | undefined): Context {
  if (!stored) return ROOT_CONTEXT;
  const space = stored.indexOf(' ');
  const carrier = space < 0 ? { traceparent: stored } : { traceparent: stored.slice(0, space), tracestate: stored.slice(space + 1) };
  return externalPropagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/**
 * Where later work on a stored message goes: into the message's own trace (its stored context),
 * linked to the active span that caused it (a provider's receipt request, an outbox sweep), so a
 * message's whole life reads as one trace. When the active span is already in the message's trace, or
 * the message has no stored context (a row older than the column), the work simply continues the active one.
 */
export function messageTrace(stored: string | null | undefined, active: Context = context.active()): { parent: Context; links: Link[] } {
  const own = trace.getSpanContext(contextFromStored(stored));
  const current = trace.getSpanContext(active);
  if (!own || !isSpanContextValid(own) || own.traceId === current?.traceId) return { parent: active, links: [] };
  return { parent: contextFromStored(stored), links: current && isSpanContextValid(current) ? [{ context: current }] : [] };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Spans of other traces this one relates to (what caused work done in a message's own trace). */
  links?: Link[];
  /** Continue this trace (a job's or an envelope's carrier) instead of the active one. */
  parent?: Context;
  /** Log lines inside the span carry this message id. */
  messageId?: string;
}

/** Runs `fn` in a new active span, which ends when `fn` settles; a throw marks it as an error. */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  let parent = options.parent ?? context.active();
  if (options.messageId) parent = parent.setValue(MESSAGE_ID, options.messageId);
  const attributes = options.messageId ? { 'messagejs.message_id': options.messageId, ...options.attributes } : options.attributes;
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes, links: options.links };
  return tracer().startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * A span that is not made active: for work done for many messages at once (a batched INSERT or
 * addBulk), each message gets its own span in its own trace. `carrier` continues it in the next process.
 */
export function childSpan(
  name: string,
  parent: Context,
  attributes?: Attributes,
  links?: Link[],
): { carrier?: TraceCarrier; end: (err?: unknown) => void } {
  const span = tracer().startSpan(name, { attributes, links }, parent);
  return {
    carrier: traceCarrier(trace.setSpan(parent, span)),
    end: (err?: unknown) => {
      if (err) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      span.end();
    },
  };
}

/** Runs `fn` with a message id in the context, so every log line inside it names the message. */
export function withMessageId<T>(messageId: string, fn: () => T): T {
  return context.with(context.active().setValue(MESSAGE_ID, messageId), fn);
}

/** The pino mixin: the active trace id, the request id that started it, and the message being worked on. */
export function logContext(): Record<string, string> {
  const active = context.active();
  const fields: Record<string, string> = {};
  const spanContext = trace.getSpanContext(active);
  if (spanContext && spanContext.traceId !== '00000000000000000000000000000000') fields.traceId = spanContext.traceId;
  const messageId = active.getValue(MESSAGE_ID);
  if (typeof messageId === 'string') fields.messageId = messageId;
  const requestId = propagation.getBaggage(active)?.getEntry(REQUEST_ID_BAGGAGE)?.value;
  if (requestId) fields.requestId = requestId;
  return fields;
}

export { SpanKind, context as traceContext };
export type { Span };
