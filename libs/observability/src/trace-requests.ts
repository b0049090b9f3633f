import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { requestIdOf } from './logger.module';
import { contextFrom, REQUEST_ID_BAGGAGE } from './tracing';

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The server span of an HTTP request: continues the caller's `traceparent` (or starts a trace), puts
 * the request id in the baggage so every app's log lines of this request name it, and keeps the
 * context on the request and response, whose events (body parsing, 'finish') come from the socket.
 */
export function traceRequests(req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0];
  if (UNTRACED.has(path)) return next();
  const route = path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
  req.id ??= requestIdOf(req, res);
  const incoming = contextFrom(req.headers);
  const baggage = (propagation.getBaggage(incoming) ?? propagation.createBaggage()).setEntry(REQUEST_ID_BAGGAGE, { value: req.id });
  const span = trace.getTracer('messagejs').startSpan(
    `${req.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': path, 'messagejs.request_id': req.id },
    },
    incoming,
  );
  const ctx = propagation.setBaggage(trace.setSpan(incoming, span), baggage);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.bind(ctx, req);
  context.bind(ctx, res);
  context.with(ctx, next);
}
