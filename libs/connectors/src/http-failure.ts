import { OutboundAddressRefused } from '@app/transport';
import { ProviderError } from './connector.interface';

/**
 * A provider's HTTP call that threw instead of answering: a timeout or a network error, both worth
 * another try. Only the system error code (ECONNREFUSED, UND_ERR_SOCKET…) is kept: fetch messages may
 * quote the URL, and a URL may hold a token.
 */
export function unreachable(provider: string, error: unknown): ProviderError {
  // Duck-typed, not instanceof: fetch's errors come from another realm under jest and some runtimes.
  if (error instanceof OutboundAddressRefused) return outboundRefused(provider, error);
  const { name, cause, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    cause?: unknown;
    code?: unknown;
  };
  if (name === 'TimeoutError' || name === 'AbortError') {
    return ProviderError.retryable('timeout', `${provider} did not answer in time`);
  }
  const systemCode = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : code;
  const suffix = typeof systemCode === 'string' && /^[A-Z_]+$/.test(systemCode) ? ` (${systemCode})` : '';
  return ProviderError.retryable('network', `Could not reach ${provider}${suffix}`);
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent, malformed, zero or past. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) > 0 ? Number(value) * 1000 : undefined;
  const until = Date.parse(value);
  return Number.isNaN(until) || until <= Date.now() ? undefined : until - Date.now();
}

/** The connector's host is, or resolves to, an address MessageJS does not call: no retry will change that by itself. */
export function outboundRefused(provider: string, error: OutboundAddressRefused): ProviderError {
  return ProviderError.permanent('outbound_address_refused', `${provider}'s address is refused: ${error.message}`);
}
