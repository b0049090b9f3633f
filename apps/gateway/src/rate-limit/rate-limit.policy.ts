import type { AuthContext } from '../auth/auth-context';

/** One window for every limit: the API speaks in requests per second. */
export const RATE_LIMIT_WINDOW_MS = 1_000;

/** The name that ties the RateLimit field to the RateLimit-Policy field. */
const POLICY_NAME = 'default';

export interface RateLimitState {
  allowed: boolean;
  /** Requests still allowed in the current window. */
  remaining: number;
  /** Milliseconds until the oldest counted request leaves the window, freeing a slot. */
  resetMs: number;
}

/** A project's own limit, else the platform default; dashboard users get the default. */
export function limitFor(auth: AuthContext, platformDefault: number): number {
  return auth.kind === 'apiKey' ? (auth.rateLimitPerSecond ?? platformDefault) : platformDefault;
}

/**
 * Who shares a window: each API key; a public key also per client IP, since anyone can copy it from a
 * web page and one abuser must not use up the quota of every visitor; each dashboard user.
 */
export function bucketFor(auth: AuthContext, clientIp: string | undefined): string {
  if (auth.kind === 'user') return `user:${auth.userId}`;
  return auth.keyType === 'public' ? `key:${auth.keyId}:ip:${clientIp ?? 'unknown'}` : `key:${auth.keyId}`;
}

// Header syntax of draft-ietf-httpapi-ratelimit-headers-11 (sections 3 and 4): Structured Field
// lists of one item, the policy name as an sf-string, integer parameters.

/** `RateLimit-Policy`: the quota `q` per window `w` (seconds). */
export function rateLimitPolicyHeader(limit: number): string {
  return `"${POLICY_NAME}";q=${limit};w=${RATE_LIMIT_WINDOW_MS / 1000}`;
}

/** `RateLimit`: `r` requests left, for `t` seconds (until a slot frees). */
export function rateLimitHeader(state: RateLimitState): string {
  return `"${POLICY_NAME}";r=${Math.max(0, Math.floor(state.remaining))};t=${resetSeconds(state)}`;
}

/** Whole seconds until a slot frees, at least 1: also the 429's Retry-After (delay-seconds). */
export function resetSeconds(state: RateLimitState): number {
  return Math.max(1, Math.ceil(state.resetMs / 1000));
}
