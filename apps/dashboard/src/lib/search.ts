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

/** A keyset page of a list that has no other filter (templates, a webhook's deliveries). */
export function parseCursorSearch(raw: Record<string, unknown>): { cursor?: string } {
  return compact({ cursor: text(raw.cursor, 500) });
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

/** A preset window ending now, or (`custom`) the `from`–`to` the user chose, both kept in the URL. */
export type AnalyticsSearch =
  | { range: TimeRange; interval: 'hour' | 'day'; connector?: string }
  | { range: 'custom'; from: string; to: string; interval: 'hour' | 'day'; connector?: string };

/** Hours up to two days, days beyond: what a custom window gets unless the URL says otherwise. */
export const intervalFor = (from: string, to: string): 'hour' | 'day' =>
  Date.parse(to) - Date.parse(from) > 2 * 86_400_000 ? 'day' : 'hour';

const interval = (value: unknown, fallback: 'hour' | 'day'): 'hour' | 'day' => (value === 'day' || value === 'hour' ? value : fallback);

export function parseAnalyticsSearch(raw: Record<string, unknown>): AnalyticsSearch {
  const connector = text(raw.connector, 100);
  const from = isoTime(raw.from);
  const to = isoTime(raw.to);
  if (raw.range === 'custom' && from && to && Date.parse(from) < Date.parse(to)) {
    return compact({ range: 'custom', from, to, interval: interval(raw.interval, intervalFor(from, to)), connector });
  }
  const range = (Object.keys(TIME_RANGES) as TimeRange[]).find((r) => r === raw.range) ?? '24h';
  return compact({ range, interval: interval(raw.interval, range === '7d' || range === '30d' ? 'day' : 'hour'), connector });
}

/**
 * The API query: a custom window as chosen (the API aligns `from` to its bucket), or a preset window
 * ending now, on bucket boundaries so the first and last buckets are whole.
 */
export function analyticsQuery(projectId: string, search: AnalyticsSearch, now = Date.now()): string {
  const step = search.interval === 'day' ? 86_400_000 : 3_600_000;
  const [from, to] =
    search.range === 'custom'
      ? [search.from, search.to]
      : [
          new Date(Math.floor((now - TIME_RANGES[search.range]) / step) * step).toISOString(),
          new Date(Math.ceil(now / step) * step).toISOString(),
        ];
  const params = new URLSearchParams({ from, to, interval: search.interval });
  if (search.connector) params.set('connector', search.connector);
  return `/projects/${projectId}/analytics?${params.toString()}`;
}
