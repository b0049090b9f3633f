import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

/** The browser's refresh-token cookie: page script cannot read it, other sites cannot send it. */
export const SESSION_COOKIE = 'mjs_refresh';
const COOKIE_PATH = '/api/v1/auth';
/** The refresh family's absolute lifetime (API.md): the cookie never outlives the token. */
const MAX_AGE_SECONDS = 30 * 24 * 3600;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

function cookie(req: Request, value: string, maxAge: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * Browser sessions (API.md "Dashboard support"): with `X-Session: cookie`, the refresh token travels in
 * an HttpOnly cookie instead of JSON. The custom header is also the CSRF guard: a cross-site form cannot
 * set it, and a cross-site fetch that does needs a CORS preflight the gateway never grants for /auth.
 */
@Injectable()
export class SessionCookieInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (req.headers['x-session'] !== 'cookie') return next.handle();
    const body = req.body as Record<string, unknown> | undefined;
    // Runs before validation, so refresh and logout see the cookie's token as if it had been sent.
    if (body && typeof body === 'object' && body.refreshToken === undefined && /\/auth\/(refresh|logout)$/.test(req.path)) {
      const token = cookieValue(req, SESSION_COOKIE);
      if (token !== undefined) body.refreshToken = token;
    }
    const clears = req.path.endsWith('/auth/logout') || req.path.endsWith('/auth/password');
    return next.handle().pipe(
      map((result: unknown) => {
        if (result && typeof result === 'object' && 'refreshToken' in result) {
          const { refreshToken, ...rest } = result as { refreshToken: string };
          res.setHeader('set-cookie', cookie(req, refreshToken, MAX_AGE_SECONDS));
          return rest;
        }
        if (clears) res.setHeader('set-cookie', cookie(req, '', 0));
        return result;
      }),
    );
  }
}
