import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import { AuthTokens, DomainError, ErrorCode } from '@app/contracts';

export const SESSION_HEADER = 'x-session';
export const REFRESH_COOKIE = 'mjs_refresh';
/** The cookie goes only to the auth routes, never to the rest of the API. */
const COOKIE_PATH = '/api/v1/auth';

/** Browser sessions (API.md "Dashboard support"): `X-Session: cookie` keeps the refresh token in an HttpOnly cookie. */
export function wantsCookie(req: Request): boolean {
  return req.headers[SESSION_HEADER] === 'cookie';
}

/** The tokens as the client gets them: the refresh token in the body, or in the cookie instead. */
export function deliverTokens(
  tokens: AuthTokens,
  req: Request,
  res: Response,
): Omit<AuthTokens, 'refreshTokenExpiresAt' | 'refreshToken'> & {
  refreshToken?: string;
} {
  const { refreshTokenExpiresAt, refreshToken, ...rest } = tokens;
  if (!wantsCookie(req)) return { ...rest, refreshToken };
  res.cookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: COOKIE_PATH,
    expires: new Date(refreshTokenExpiresAt),
  });
  return rest;
}

export function clearSessionCookie(req: Request, res: Response): void {
  if (wantsCookie(req)) res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: COOKIE_PATH });
}

/**
 * The refresh token from the body, or (with `X-Session: cookie` only: a custom header a cross-site form
 * cannot send) from the cookie.
 */
export function refreshTokenOf(req: Request, fromBody: string | undefined): string {
  const token = fromBody ?? (wantsCookie(req) ? parseCookie(req.headers.cookie ?? '')[REFRESH_COOKIE] : undefined);
  if (!token) {
    throw new DomainError(
      ErrorCode.Unauthorized,
      wantsCookie(req) ? 'no session cookie: log in again' : 'refreshToken is required (or X-Session: cookie with the session cookie)',
    );
  }
  return token;
}
