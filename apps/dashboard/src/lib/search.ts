/**
 * The URL is the source of truth for filters: these parse whatever is in the query string into typed
 * search params (dropping what is malformed), so a shared or reloaded link shows the same view.
 */
import { MESSAGE_STATUSES, type MessageStatus } from '@contracts/message-status';

export interface MessageSearch {
  status?: MessageStatus;
  connector?: string;
  to?: string;
  since?: string;
  until?: string;
  cursor?: string;
}

const text = (value: unknown, max = 200): string | undefined =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : undefined;

const isoTime = (value: unknown): string | undefined => {
  const s = text(value, 40);
  return s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined;
};

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseMessageSearch(raw: Record<string, unknown>): MessageSearch {
  const status = MESSAGE_STATUSES.find((s) => s === raw.status);
  return compact({
    status,
    connector: text(raw.connector, 100),
    to: text(raw.to),
    since: isoTime(raw.since),
    until: isoTime(raw.until),
    cursor: text(raw.cursor, 500),
  });
}

/** The API query for a page of the log: the same filters, for the project the JWT names. */
export function messagesQuery(projectId: string, search: MessageSearch, limit = 20): string {
  const params = new URLSearchParams({ projectId, limit: String(limit) });
  for (const key of ['status', 'connector', 'to', 'since', 'until', 'cursor'] as const) {
    const value = search[key];
    if (value) params.set(key, value);
  }
  return `/messages?${params.toString()}`;
}

export const TIME_RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type TimeRange = keyof typeof TIME_RANGES;

export interface AnalyticsSearch {
  range: TimeRange;
  interval: 'hour' | 'day';
  connector?: string;
}

export function parseAnalyticsSearch(raw: Record<string, unknown>): AnalyticsSearch {
  const range = (Object.keys(TIME_RANGES) as TimeRange[]).find((r) => r === raw.range) ?? '24h';
  const interval = raw.interval === 'day' || raw.interval === 'hour' ? raw.interval : range === '7d' || range === '30d' ? 'day' : 'hour';
  return compact({ range, interval, connector: text(raw.connector, 100) });
}

/** The analytics window ending now, on bucket boundaries so the first and last buckets are whole. */
export function analyticsQuery(projectId: string, search: AnalyticsSearch, now = Date.now()): string {
  const step = search.interval === 'day' ? 86_400_000 : 3_600_000;
  const to = Math.ceil(now / step) * step;
  const from = Math.floor((now - TIME_RANGES[search.range]) / step) * step;
  const params = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), interval: search.interval });
  if (search.connector) params.set('connector', search.connector);
  return `/projects/${projectId}/analytics?${params.toString()}`;
}
