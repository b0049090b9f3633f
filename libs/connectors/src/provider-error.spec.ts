import { ProviderError } from './connector.interface';

describe('ProviderError.withoutSecrets', () => {
  it('replaces every occurrence of each secret by its label and keeps the rest of the error', () => {
    const error = ProviderError.rateLimited('429', 'token abc:123 refused; abc:123 again, key xyz', 2_000);
    const clean = error.withoutSecrets(['abc:123', '<bot token>'], ['xyz', '<secret>']);
    expect(clean.message).toBe('token <bot token> refused; <bot token> again, key <secret>');
    expect([clean.kind, clean.code, clean.retryAfterMs]).toEqual(['rateLimited', '429', 2_000]);
    expect(error.withHttpStatus(429).withoutSecrets(['xyz', '<secret>']).httpStatus).toBe(429);
  });

  it('returns the same error when no secret is in it, and ignores empty secrets', () => {
    const error = ProviderError.permanent('400', 'chat not found');
    expect(error.withoutSecrets(['abc', '<bot token>'], ['', '<secret>'])).toBe(error);
  });
});
