import { CONNECTOR_TYPES, type ConnectorType, isConnectorType } from './connector-types';
import { DomainError, ErrorCode, type FieldError } from './errors';
import type { AppName } from './rpc-owners';

/** GET /projects/:id/analytics buckets its series by UTC hour or UTC day. */
export const ANALYTICS_INTERVALS = ['hour', 'day'] as const;
export type AnalyticsInterval = (typeof ANALYTICS_INTERVALS)[number];

const BUCKET_MS: Record<AnalyticsInterval, number> = { hour: 3_600_000, day: 86_400_000 };
/** The longest series one call returns: 31 days of hours, or a year of days. */
export const ANALYTICS_MAX_BUCKETS: Record<AnalyticsInterval, number> = { hour: 744, day: 366 };
/** Without `from`, the last day of hours or the last 30 days. */
const DEFAULT_SPAN_BUCKETS: Record<AnalyticsInterval, number> = { hour: 24, day: 30 };
export const ANALYTICS_TOP_ERRORS = 10;

/** What the caller may send (the gateway's query DTO), every field optional. */
export interface AnalyticsQuery {
  from?: string;
  to?: string;
  interval?: AnalyticsInterval;
  /** A connector id, or a connector type. */
  connector?: string;
}

/** A checked query: whole buckets from `from` (aligned to the interval) up to `to` (exclusive). */
export interface AnalyticsWindow {
  from: string;
  to: string;
  interval: AnalyticsInterval;
  connector?: { id: string } | { type: ConnectorType };
}

export interface AnalyticsPoint {
  /** The start of the bucket (UTC). */
  t: string;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface ConnectorAnalytics {
  id: string;
  type: ConnectorType;
  /** Null once the connector was deleted (its messages still count). */
  name: string | null;
  /** Messages accepted for the connector in the window. */
  total: number;
  sent: number;
  delivered: number;
  failed: number;
  /** sent ÷ (sent + failed): of the sends that finished in the window, the share the provider accepted; null when none did. */
  successRate: number | null;
  /** From acceptance to the provider's acceptance (queue wait and retries included); null when nothing was sent. */
  latencyMs: { p50: number | null; p95: number | null };
}

export interface ErrorAnalytics {
  code: string;
  count: number;
  lastAt: string;
}

export interface AnalyticsView {
  from: string;
  to: string;
  interval: AnalyticsInterval;
  series: AnalyticsPoint[];
  connectors: ConnectorAnalytics[];
  topErrors: ErrorAnalytics[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instant(value: string | undefined, field: string, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) errors.push({ field, message: 'must be an ISO 8601 date-time' });
  return ms;
}

/**
 * The one rule for analytics windows: defaults filled in, `from` aligned down to its bucket, and the
 * window bounded (from before to, at most ANALYTICS_MAX_BUCKETS buckets). Throws a 422 naming each
 * bad field.
 */
export function analyticsWindow(query: AnalyticsQuery, now = Date.now()): AnalyticsWindow {
  const errors: FieldError[] = [];
  const interval = query.interval ?? 'day';
  if (!(ANALYTICS_INTERVALS as readonly string[]).includes(interval)) {
    errors.push({ field: 'interval', message: `must be one of ${ANALYTICS_INTERVALS.join(', ')}` });
  }
  let connector: AnalyticsWindow['connector'];
  if (query.connector !== undefined) {
    if (UUID.test(query.connector)) connector = { id: query.connector.toLowerCase() };
    else if (isConnectorType(query.connector)) connector = { type: query.connector };
    else errors.push({ field: 'connector', message: `must be a connector id or one of ${CONNECTOR_TYPES.join(', ')}` });
  }
  const to = instant(query.to, 'to', errors) ?? now;
  const step = BUCKET_MS[interval] ?? BUCKET_MS.day;
  const max = ANALYTICS_MAX_BUCKETS[interval] ?? ANALYTICS_MAX_BUCKETS.day;
  const from = instant(query.from, 'from', errors) ?? to - DEFAULT_SPAN_BUCKETS[interval] * step;
  if (errors.length === 0) {
    const aligned = Math.floor(from / step) * step;
    if (from >= to) errors.push({ field: 'from', message: 'must be before to' });
    else if (Math.ceil((to - aligned) / step) > max) {
      errors.push({ field: 'from', message: `must be at most ${max} ${interval}s before to (one call returns at most ${max} buckets)` });
    } else {
      return { from: new Date(aligned).toISOString(), to: new Date(to).toISOString(), interval, ...(connector ? { connector } : {}) };
    }
  }
  throw new DomainError(ErrorCode.ValidationFailed, `${errors[0].field} ${errors[0].message}`, errors);
}

/** The start of every bucket of the window, oldest first (the series is dense: empty buckets are zeros). */
export function analyticsBuckets(window: Pick<AnalyticsWindow, 'from' | 'to' | 'interval'>): string[] {
  const step = BUCKET_MS[window.interval];
  const buckets: string[] = [];
  for (let t = Date.parse(window.from); t < Date.parse(window.to); t += step) buckets.push(new Date(t).toISOString());
  return buckets;
}

/** Analytics are answered by the dispatcher, which keeps the rollups; the gateway checks the caller owns the project. */
export interface AnalyticsRpc {
  'analytics.get': { payload: { projectId: string } & AnalyticsQuery; reply: AnalyticsView };
}

export const ANALYTICS_RPC_OWNERS: Record<keyof AnalyticsRpc, AppName> = {
  'analytics.get': 'dispatcher',
};
