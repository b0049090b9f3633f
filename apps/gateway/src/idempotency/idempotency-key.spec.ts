import { DomainError } from '@app/contracts';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('requestFingerprint', () => {
  const body = { to: '424242', message: 'Hello', connector: 'telegram', metadata: { b: '2', a: '1' } };

  it('is the same whatever the order of keys, at every depth', () => {
    const reordered = { metadata: { a: '1', b: '2' }, connector: 'telegram', message: 'Hello', to: '424242' };
    expect(requestFingerprint('POST /api/v1/messages', reordered)).toBe(requestFingerprint('POST /api/v1/messages', body));
  });

  it('differs when any value, nested value or the route differs', () => {
    const fp = requestFingerprint('POST /api/v1/messages', body);
    expect(requestFingerprint('POST /api/v1/messages', { ...body, message: 'Hello!' })).not.toBe(fp);
    expect(requestFingerprint('POST /api/v1/messages', { ...body, metadata: { a: '1', b: '3' } })).not.toBe(fp);
    expect(requestFingerprint('POST /api/v1/other', body)).not.toBe(fp);
  });

  it('does not confuse a string with the number or array it spells', () => {
    expect(requestFingerprint('r', { to: '1' })).not.toBe(requestFingerprint('r', { to: 1 }));
    expect(requestFingerprint('r', { to: ['1'] })).not.toBe(requestFingerprint('r', { to: '1' }));
  });

  it('is a SHA-256 in hex', () => {
    expect(requestFingerprint('r', {})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, keeps array order and escapes like JSON', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 'x"y', c: null } })).toBe('{"a":{"c":null,"d":"x\\"y"},"b":[2,1]}');
  });

  it('drops undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });
});

describe('parseIdempotencyKey', () => {
  it('has no key when the header is absent', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it('takes the key bare or as a structured-field string', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
  });

  it.each([[''], ['""'], ['x'.repeat(256)]])('refuses %j with a 422 naming the header', (value) => {
    let error: unknown;
    try {
      parseIdempotencyKey(value);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).errors).toEqual([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
  });

  it('accepts exactly 255 characters', () => {
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });
});
