import { describe, expect, it } from 'vitest';
import { analyticsQuery, parseAnalyticsSearch, parseCursorSearch } from './search';

const query = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('analytics search in the URL', () => {
  it('keeps a custom window as chosen, hourly up to two days and daily beyond', () => {
    const from = '2026-11-01T08:30:00.000Z';
    expect(parseAnalyticsSearch({ range: 'custom', from, to: '2026-11-02T08:30:00Z' })).toEqual({
      range: 'custom',
      from,
      to: '2026-11-02T08:30:00.000Z',
      interval: 'hour',
    });
    const wide = parseAnalyticsSearch({ range: 'custom', from, to: '2026-11-20T00:00:00Z', connector: 'smtp' });
    expect(wide).toMatchObject({ interval: 'day', connector: 'smtp' });
    expect(query(analyticsQuery('p1', wide))).toEqual({ from, to: '2026-11-20T00:00:00.000Z', interval: 'day', connector: 'smtp' });
  });

  it('falls back to the last 24 hours when a custom window is missing, malformed or backwards', () => {
    for (const raw of [
      { range: 'custom' },
      { range: 'custom', from: 'yesterday', to: '2026-11-02T00:00:00Z' },
      { range: 'custom', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
    ]) {
      expect(parseAnalyticsSearch(raw)).toEqual({ range: '24h', interval: 'hour' });
    }
  });

  it('ends a preset window now, on whole buckets', () => {
    const now = Date.parse('2026-11-30T12:34:00Z');
    expect(query(analyticsQuery('p1', parseAnalyticsSearch({ range: '7d' }), now))).toEqual({
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      interval: 'day',
    });
  });

  it('reads a page cursor and nothing else', () => {
    expect(parseCursorSearch({ cursor: 'abc', other: 1 })).toEqual({ cursor: 'abc' });
    expect(parseCursorSearch({ cursor: '' })).toEqual({});
  });
});
