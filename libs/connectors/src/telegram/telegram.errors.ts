import { ProviderError } from '../connector.interface';
import { unreachable } from '../http-failure';

/** A failed Bot API call as the connector saw it: an HTTP answer (raw body), or no answer at all. */
export type TelegramFailure = { readonly status: number; readonly body: string } | { readonly error: unknown };

/** The Bot API's error body: `{ok:false, error_code, description, parameters?}` (ResponseParameters). */
interface BotApiErrorBody {
  ok: false;
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/** Telegram normally says how long to wait; when it does not, back off at least this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Classifies one Bot API failure for the worker. Messages are built only from Telegram's own
 * description or fixed text, never from the request URL, because the URL carries the bot token.
 */
export function classifyTelegramFailure(failure: TelegramFailure): ProviderError {
  const error = classify(failure);
  return 'status' in failure ? error.withHttpStatus(failure.status) : error;
}

function classify(failure: TelegramFailure): ProviderError {
  if ('error' in failure) return unreachable('Telegram', failure.error);

  const body = parseErrorBody(failure.body);
  const code = typeof body?.error_code === 'number' ? body.error_code : failure.status;
  const description = typeof body?.description === 'string' ? body.description : `HTTP ${code}`;

  if (code === 429) {
    const retryAfter = body?.parameters?.retry_after;
    const seconds = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : undefined;
    return ProviderError.rateLimited('429', description, seconds ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS);
  }
  if (!body) {
    // A proxy or load balancer answered (e.g. nginx's HTML 502), not the Bot API itself.
    const message = `Telegram answered HTTP ${failure.status} without a Bot API body`;
    return ProviderError.retryable(String(failure.status), message);
  }
  if (code >= 500) return ProviderError.retryable(String(code), description);

  const migratedTo = body.parameters?.migrate_to_chat_id;
  if (code === 400 && (typeof migratedTo === 'number' || typeof migratedTo === 'string')) {
    return ProviderError.permanent('400', `${description}; the group moved to chat id ${migratedTo}`);
  }
  if (code >= 400) return ProviderError.permanent(String(code), description);
  return ProviderError.retryable(String(code), description);
}

function parseErrorBody(raw: string): BotApiErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { ok?: unknown }).ok === false) {
      return parsed as BotApiErrorBody;
    }
  } catch {
    // not JSON: handled by the caller as "no Bot API body"
  }
  return undefined;
}
