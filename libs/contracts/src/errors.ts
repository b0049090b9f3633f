/** Domain error codes; the gateway maps each to exactly one HTTP problem (see problem.filter.ts). */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  BadRequest = 'bad_request',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  RateLimited = 'rate_limited',
  /** Too many failed logins, /auth requests or unknown API keys from one client (abuse limits). */
  TooManyAttempts = 'too_many_attempts',
  /** A public key used up its messages for the day (UTC). */
  DailyLimitReached = 'daily_limit_reached',
  ProviderRejected = 'provider_rejected',
  /** An owner or project reached a count ceiling the operator set (MAX_*). */
  QuotaExceeded = 'quota_exceeded',
  /** A connector's host is, or resolves to, an address the outbound guard refuses. */
  OutboundAddressRefused = 'outbound_address_refused',
  Unavailable = 'unavailable',
  Internal = 'internal',
}

export interface FieldError {
  field: string;
  message: string;
}

/** The shape a domain error takes on the wire between apps. */
export interface DomainErrorBody {
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
}

/** Services throw this, never HTTP exceptions: workers and RPC handlers have no HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field} ${message}`, [{ field, message }]);
  }
  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  toBody(): DomainErrorBody {
    return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
  }

  static isBody(value: unknown): value is DomainErrorBody {
    return (
      typeof value === 'object' &&
      value !== null &&
      Object.values(ErrorCode).includes((value as DomainErrorBody).code) &&
      typeof (value as DomainErrorBody).message === 'string'
    );
  }
}
