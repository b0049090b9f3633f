export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem body as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  errorId?: string;
}

// Client-side failures get a type in the API's namespace, so `type` is always a URI to switch on.
export const NETWORK_ERROR = 'https://messagejs.dev/problems/network-error';
export const TIMEOUT = 'https://messagejs.dev/problems/timeout';

/**
 * Every failure the SDK reports: an API problem (status ≥ 400), or, with status 0, a network
 * error or timeout after the retries ran out.
 */
export class MessageJSError extends Error {
  /** The HTTP status; 0 when no response arrived. */
  declare readonly status: number;
  /** A problem type URI, e.g. `https://messagejs.dev/problems/validation-error`; `about:blank` for a non-problem body. */
  declare readonly type: string;
  declare readonly title: string;
  declare readonly detail?: string;
  declare readonly instance?: string;
  /** One entry per refused field (422); empty otherwise. */
  declare readonly errors: FieldError[];
  /** The response's `X-Request-Id`: quote it when asking for support. */
  declare readonly requestId?: string;
  /** Set on 500s: the id the server logged the failure under. */
  declare readonly errorId?: string;

  constructor(status: number, p: Problem, requestId?: string | null, cause?: unknown) {
    const title = p.title || 'HTTP ' + status;
    super(p.detail ? title + ': ' + p.detail : title, cause ? { cause } : undefined);
    // Fields are picked one by one: a problem body may carry extension members that must not
    // overwrite `message`, `name` or `stack`.
    Object.assign(this, {
      name: 'MessageJSError',
      status,
      type: p.type || 'about:blank',
      title,
      detail: p.detail,
      instance: p.instance,
      errors: p.errors || [],
      requestId: requestId || undefined,
      errorId: p.errorId,
    });
  }
}
