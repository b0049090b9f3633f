import { ErrorCode, FieldError } from '@app/contracts';

export const PROBLEM_BASE = 'https://messagejs.dev/problems';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  errorId?: string;
}

export interface ProblemType {
  status: number;
  /** The last segment of the type URI: `${PROBLEM_BASE}/${slug}`; docs/docs/problems/<slug>.md explains it. */
  slug: string;
  title: string;
}

/** Each domain error code maps to exactly one status and problem type; the switch is exhaustive. */
export function problemFor(code: ErrorCode): ProblemType {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return { status: 422, slug: 'validation-error', title: 'Validation failed' };
    case ErrorCode.BadRequest:
      return { status: 400, slug: 'bad-request', title: 'Bad request' };
    case ErrorCode.Unauthorized:
      return { status: 401, slug: 'unauthorized', title: 'Unauthorized' };
    case ErrorCode.Forbidden:
      return { status: 403, slug: 'forbidden', title: 'Forbidden' };
    case ErrorCode.NotFound:
      return { status: 404, slug: 'not-found', title: 'Not found' };
    case ErrorCode.Conflict:
      return { status: 409, slug: 'conflict', title: 'Conflict' };
    case ErrorCode.RateLimited:
      return { status: 429, slug: 'rate-limited', title: 'Too many requests' };
    case ErrorCode.TooManyAttempts:
      return { status: 429, slug: 'too-many-attempts', title: 'Too many attempts' };
    case ErrorCode.DailyLimitReached:
      return { status: 429, slug: 'daily-limit-reached', title: 'Daily limit reached' };
    case ErrorCode.ProviderRejected:
      return { status: 422, slug: 'provider-rejected', title: 'The provider refused the request' };
    case ErrorCode.QuotaExceeded:
      return { status: 409, slug: 'quota-exceeded', title: 'Quota exceeded' };
    case ErrorCode.OutboundAddressRefused:
      return { status: 422, slug: 'outbound-address-refused', title: 'Outbound address refused' };
    case ErrorCode.Unavailable:
      return { status: 503, slug: 'service-unavailable', title: 'Service unavailable' };
    case ErrorCode.Internal:
      return { status: 500, slug: 'internal-error', title: 'Internal server error' };
    default:
      return assertUnreachable(code);
  }
}

/** Failures the HTTP layer meets before any domain code runs (routing, body parsing), by status. */
export const HTTP_PROBLEMS: Readonly<Record<405 | 413 | 415, ProblemType>> = {
  405: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  413: { status: 413, slug: 'payload-too-large', title: 'Payload too large' },
  415: { status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type' },
};

/** Every problem type the API answers with: the domain codes' and the HTTP layer's (each must have a docs page). */
export function problemTypes(): ProblemType[] {
  const all = [...Object.values(ErrorCode).map(problemFor), ...Object.values(HTTP_PROBLEMS)];
  return all.filter((p, i) => all.findIndex((q) => q.slug === p.slug) === i);
}

function assertUnreachable(value: never): never {
  throw new Error(`unmapped error code ${String(value)}`);
}
