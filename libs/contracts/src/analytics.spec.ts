import { analyticsBuckets, analyticsWindow } from './analytics';
import { DomainError } from './errors';

const NOW = Date.parse('2025-03-10T12:34:56.789Z');

function refusal(query: Parameters<typeof analyticsWindow>[0]): Array<{ field: string; message: string }> {
  try {
    analyticsWindow(query, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).errors ?? [];
  }
  throw new Error('expected a refusal');
}

describe('analyticsWindow', () => {
  it('defaults to the last 30 days by day, from the start of the first day', () => {
    expect(analyticsWindow({}, NOW)).toEqual({ from: '2025-02-08T00:00:00.000Z', to: '2025-03-10T12:34:56.789Z', interval: 'day' });
  });

  it('defaults to the last 24 hours by hour, from the start of the first hour', () => {
    expect(analyticsWindow({ interval: 'hour' }, NOW)).toEqual({
      from: '2025-03-09T12:00:00.000Z',
      to: '2025-03-10T12:34:56.789Z',
      interval: 'hour',
    });
  });

  it('aligns from down to its bucket and keeps to as given', () => {
    const window = analyticsWindow({ from: '2025-03-01T10:30:00+02:00', to: '2025-03-02T00:00:00Z', interval: 'hour' }, NOW);
    expect(window).toMatchObject({ from: '2025-03-01T08:00:00.000Z', to: '2025-03-02T00:00:00.000Z' });
    expect(analyticsBuckets(window)).toHaveLength(16);
  });

  it('takes a connector id (any case) or a connector type', () => {
    const id = '0B8A5C1E-2F4D-4C3B-9A7E-6D5F4E3C2B1A';
    expect(analyticsWindow({ connector: id }, NOW).connector).toEqual({ id: id.toLowerCase() });
    expect(analyticsWindow({ connector: 'twilio' }, NOW).connector).toEqual({ type: 'twilio' });
  });

  it.each([
    [{ from: 'yesterday' }, 'from', 'must be an ISO 8601 date-time'],
    [{ to: '2025-13-45' }, 'to', 'must be an ISO 8601 date-time'],
    [{ interval: 'week' as never }, 'interval', 'must be one of hour, day'],
    [{ connector: 'fax' }, 'connector', 'must be a connector id or one of telegram, whatsapp, twilio, smtp'],
    [{ from: '2025-03-10T00:00:00Z', to: '2025-03-09T00:00:00Z' }, 'from', 'must be before to'],
    [{ from: '2025-03-10T00:00:00Z', to: '2025-03-10T00:00:00Z' }, 'from', 'must be before to'],
  ])('refuses %j naming %s', (query, field, message) => {
    expect(refusal(query)).toContainEqual({ field, message });
  });

  it('caps a call at 744 hourly or 366 daily buckets', () => {
    const to = '2025-03-10T00:00:00.000Z';
    expect(analyticsBuckets(analyticsWindow({ from: '2025-02-07T00:00:00Z', to, interval: 'hour' }, NOW))).toHaveLength(744);
    expect(refusal({ from: '2025-02-06T23:59:59Z', to, interval: 'hour' })[0]).toMatchObject({ field: 'from' });
    expect(analyticsBuckets(analyticsWindow({ from: '2024-03-09T00:00:00Z', to, interval: 'day' }, NOW))).toHaveLength(366);
    expect(refusal({ from: '2024-03-08T00:00:00Z', to, interval: 'day' })[0].message).toBe(
      'must be at most 366 days before to (one call returns at most 366 buckets)',
    );
  });

  it('counts a last, partial bucket', () => {
    const window = analyticsWindow({ from: '2025-03-10T00:00:00Z', to: '2025-03-10T00:00:00.001Z', interval: 'hour' }, NOW);
    expect(analyticsBuckets(window)).toEqual(['2025-03-10T00:00:00.000Z']);
  });
});
