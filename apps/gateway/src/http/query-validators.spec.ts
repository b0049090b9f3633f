import { validateSync } from 'class-validator';
import { IsConnectorRef, IsTimestamp } from './query-validators';

class Query {
  @IsTimestamp() at?: unknown;
  @IsConnectorRef() connector?: unknown;
}

function errorsFor(values: Partial<Query>): string[] {
  return validateSync(Object.assign(new Query(), { at: '2026-01-01', connector: 'telegram', ...values })).map((e) => e.property);
}

describe('query validators', () => {
  it.each([
    '2026-01-31',
    '2026-01-31T12:00:00Z',
    '2026-01-31T12:00Z',
    '2024-02-29T23:59:59.999999+14:00',
    '0001-01-01',
    '9999-12-31T23:59:59-12:00',
  ])('takes the timestamp %s', (at) => expect(errorsFor({ at })).toEqual([]));

  it.each([
    '2024-W01-1',
    '2024-001',
    '2024',
    '2024-01',
    '0000-01-01',
    '2026-02-29',
    '2026-02-30T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10Z',
    '2026-01-01T10:00:00,5Z',
    '2026-01-01T10:00:00',
    '20260101T100000Z',
    '2026-01-01T10:00:00.1234567Z',
    42,
  ])('refuses the timestamp %s', (at) => expect(errorsFor({ at })).toEqual(['at']));

  it.each(['telegram', 'smtp', '0b7c6a1e-9d3f-4a8b-8c2d-1e2f3a4b5c6d', 'AB7C6A1E-9D3F-4A8B-8C2D-1E2F3A4B5C6D'])(
    'takes the connector %s',
    (connector) => expect(errorsFor({ connector })).toEqual([]),
  );

  it.each(['-'.repeat(36), 'sms', '0b7c6a1e9d3f4a8b8c2d1e2f3a4b5c6d', "telegram' OR 1=1", ''])('refuses the connector %s', (connector) =>
    expect(errorsFor({ connector })).toEqual(['connector']),
  );
});
