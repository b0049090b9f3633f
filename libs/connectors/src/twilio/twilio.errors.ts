import { ProviderError } from '../connector.interface';
import { retryAfterMs, unreachable } from '../http-failure';

/**
 * A failed Twilio REST call as the connector saw it: an HTTP answer (raw body and the Retry-After
 * header, if any), or no answer at all.
 */
export type TwilioFailure =
  { readonly status: number; readonly body: string; readonly retryAfter?: string | null } | { readonly error: unknown };

/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). */
interface TwilioErrorBody {
  code?: unknown;
  message?: unknown;
  more_info?: unknown;
  status?: unknown;
}

/** Twilio's "Too Many Requests" error code; it comes with HTTP 429. */
export const TWILIO_TOO_MANY_REQUESTS = 20429;

/** When Twilio does not say how long to wait, back off at least this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Classifies one Twilio failure for the worker: 429/20429 → rateLimited, 5xx or an answer that is
 * not Twilio's JSON (a proxy, a truncated body) or no answer → retryable, any other 4xx (21211
 * invalid To, 21610 unsubscribed, 21614 not mobile, 21408 region, 21606/21212 bad From, 20003 auth,
 * 20404 …) → permanent, with Twilio's own message and code. Messages never quote the request, which
 * carries the credentials.
 */
export function classifyTwilioFailure(failure: TwilioFailure): ProviderError {
  const error = classify(failure);
  return 'status' in failure ? error.withHttpStatus(failure.status) : error;
}

function classify(failure: TwilioFailure): ProviderError {
  if ('error' in failure) return unreachable('Twilio', failure.error);

  const body = parseErrorBody(failure.body);
  const code = typeof body?.code === 'number' || typeof body?.code === 'string' ? String(body.code) : String(failure.status);
  const message = typeof body?.message === 'string' && body.message !== '' ? body.message : `HTTP ${failure.status}`;

  if (failure.status === 429 || code === String(TWILIO_TOO_MANY_REQUESTS)) {
    return ProviderError.rateLimited(code, message, retryAfterMs(failure.retryAfter) ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (!body) {
    const text = `Twilio answered HTTP ${failure.status} without a Twilio error body`;
    return ProviderError.retryable(String(failure.status), text);
  }
  if (failure.status >= 500) return ProviderError.retryable(code, message);
  if (failure.status >= 400) return ProviderError.permanent(code, message);
  return ProviderError.retryable(code, message);
}

function parseErrorBody(raw: string): TwilioErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && ('code' in parsed || 'message' in parsed)) {
      return parsed;
    }
  } catch {
    // not JSON: handled by the caller as "no Twilio body"
  }
  return undefined;
}
