import type { AuthContext } from '../auth/auth-context';
import { bucketFor, limitFor, rateLimitHeader, rateLimitPolicyHeader, resetSeconds } from './rate-limit.policy';

const secretKey: AuthContext = {
  kind: 'apiKey',
  keyId: 'k1',
  projectId: 'p1',
  keyType: 'secret',
  allowedOrigins: null,
  dailyLimit: null,
  rateLimitPerSecond: null,
};
const publicKey: AuthContext = { ...secretKey, keyId: 'k2', keyType: 'public', allowedOrigins: ['https://shop.example.com'] };
const user: AuthContext = { kind: 'user', userId: 'u1' };

describe('rate limit policy', () => {
  it('formats RateLimit-Policy as a structured list item with quota and window', () => {
    expect(rateLimitPolicyHeader(100)).toBe('"default";q=100;w=1');
  });

  it('formats RateLimit with the remaining quota and whole seconds until a slot frees', () => {
    expect(rateLimitHeader({ allowed: true, remaining: 42, resetMs: 250 })).toBe('"default";r=42;t=1');
    expect(rateLimitHeader({ allowed: false, remaining: 0, resetMs: 1_000 })).toBe('"default";r=0;t=1');
    expect(rateLimitHeader({ allowed: true, remaining: 3, resetMs: 1_001 })).toBe('"default";r=3;t=2');
  });

  it('never advertises a negative remainder or a zero reset (Retry-After is at least 1)', () => {
    const state = { allowed: false, remaining: -4, resetMs: 0 };
    expect(rateLimitHeader(state)).toBe('"default";r=0;t=1');
    expect(resetSeconds(state)).toBe(1);
  });

  it('takes the project limit when it has one, else the platform default', () => {
    expect(limitFor(secretKey, 100)).toBe(100);
    expect(limitFor({ ...secretKey, rateLimitPerSecond: 20 }, 100)).toBe(20);
    expect(limitFor(user, 100)).toBe(100);
  });

  it('counts per key, per key and client IP for public keys, and per dashboard user', () => {
    expect(bucketFor(secretKey, '10.0.0.1')).toBe('key:k1');
    expect(bucketFor(publicKey, '10.0.0.1')).toBe('key:k2:ip:10.0.0.1');
    expect(bucketFor(publicKey, '10.0.0.2')).not.toBe(bucketFor(publicKey, '10.0.0.1'));
    expect(bucketFor(user, '10.0.0.1')).toBe('user:u1');
  });
});
