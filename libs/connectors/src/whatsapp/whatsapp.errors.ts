import { ProviderError } from '../connector.interface';
import { retryAfterMs, unreachable } from '../http-failure';

/**
 * A failed Graph API call as the connector saw it: an HTTP answer (raw body and the Retry-After
 * header, if any), or no answer at all.
 */
export type WhatsAppFailure =
  { readonly status: number; readonly body: string; readonly retryAfter?: string | null } | { readonly error: unknown };

/** The Graph API's error body (https://developers.facebook.com/docs/graph-api/guides/error-handling). */
export interface GraphErrorBody {
  error: {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    error_subcode?: unknown;
    error_data?: { details?: unknown };
    fbtrace_id?: unknown;
  };
}

/** Meta rarely says how long to wait; its throughput limits are per minute, so back off that long. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Throughput (130429), per-recipient pair (131056), WABA (80007) and app-level (4, 613) limits. */
const RATE_LIMIT_CODES = new Set([130429, 131056, 80007, 4, 613]);
/** "Something went wrong" (131000), "Service unavailable" (131016), "Temporary" API service error (2). */
const TRANSIENT_CODES = new Set([131000, 131016, 2]);
/** 24-hour customer service window closed: only an approved template may be sent now. */
export const WHATSAPP_REENGAGEMENT_CODE = 131047;

/**
 * Classifies one Graph API failure for the worker. Messages are built only from Meta's own error
 * text or fixed text, never from the request, because the request carries the access token.
 */
export function classifyWhatsAppFailure(failure: WhatsAppFailure): ProviderError {
  const error = classify(failure);
  return 'status' in failure ? error.withHttpStatus(failure.status) : error;
}

function classify(failure: WhatsAppFailure): ProviderError {
  if ('error' in failure) return unreachable('WhatsApp', failure.error);

  const graph = parseGraphError(failure.body)?.error;
  if (!graph || typeof graph.code !== 'number') {
    if (failure.status === 429) {
      const message = 'WhatsApp answered HTTP 429 Too Many Requests';
      return ProviderError.rateLimited('429', message, retryAfterMs(failure.retryAfter) ?? DEFAULT_RETRY_AFTER_MS);
    }
    // A proxy or load balancer answered, not the Graph API itself: worth another try.
    const message = `WhatsApp answered HTTP ${failure.status} without a Graph API error body`;
    return ProviderError.retryable(String(failure.status), message);
  }

  const code = graph.code;
  const message = describeWhatsAppError(code, graph.message, graph.error_data?.details);
  if (RATE_LIMIT_CODES.has(code) || failure.status === 429) {
    return ProviderError.rateLimited(String(code), message, retryAfterMs(failure.retryAfter) ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (TRANSIENT_CODES.has(code) || failure.status >= 500) return ProviderError.retryable(String(code), message);
  // 190 bad token, 10 and 200–299 permissions, 100 invalid parameter, 131026 undeliverable,
  // 131047 re-engagement, 131051 unsupported type, 132000/132001 template, 133010 not registered…
  return ProviderError.permanent(String(code), message);
}

/**
 * One readable sentence from Meta's error parts, shared with the status webhook parser so a
 * 131047 reads the same whether Meta refuses the send or fails the message later.
 */
export function describeWhatsAppError(code: number | string, message: unknown, details?: unknown): string {
  const parts = [message, details].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  // Meta's `details` often repeats `message`; say each thing once.
  const unique = parts.filter((part, index) => !parts.slice(0, index).some((earlier) => earlier.includes(part)));
  const text = unique.length > 0 ? unique.join(': ') : `WhatsApp error ${code}`;
  if (Number(code) === WHATSAPP_REENGAGEMENT_CODE) {
    return `${text} — the recipient has not written in the last 24 hours; send an approved WhatsApp template instead`;
  }
  return text;
}

function parseGraphError(raw: string): GraphErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    if (typeof error === 'object' && error !== null) return parsed as GraphErrorBody;
  } catch {
    // not JSON: handled by the caller as "no Graph API body"
  }
  return undefined;
}
