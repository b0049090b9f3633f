import path from 'node:path';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { requestIdOf } from '@app/observability';

/** Paths the API, its documents and the probes own; everything else that is a GET belongs to the dashboard. */
const NOT_DASHBOARD = /^\/(?:api(?:\/|$)|docs(?:[/-]|$)|openapi\.json$|healthz$|readyz$|metrics$|callbacks(?:\/|$))/;
/** Vite's build puts content-hashed files here: a changed file gets a new name, so each name can be cached for good. */
const HASHED_ASSETS = '/assets/';

/**
 * The dashboard is a single page that talks only to this origin: no inline script or style, no
 * framing, nothing fetched from elsewhere (images may be data: URLs).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

const NOT_BUILT = 'the dashboard is not built: run `npm run build` (it writes dist/dashboard), or set DASHBOARD_DIR to a built dashboard';

/** For a browser, the same words as a page (nothing inline, so the CSP holds). */
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MessageJS: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>Run <code>npm run build</code> (it writes <code>dist/dashboard</code>), or set <code>DASHBOARD_DIR</code> to a built dashboard, then reload.</p>
<p>The API is up: <a href="/docs">/docs</a>.</p></body></html>
`;

/**
 * Serves the built dashboard (Vite's output in `dir`) at `/`: its files as they are, hashed assets
 * cached for a year, and for any other GET that is not the API's, index.html (never cached, so a new
 * build is picked up at once) — the browser-side router takes it from there. A missing file under
 * /assets/ is a 404, not the page: a stale hashed URL must not come back as HTML.
 */
export function dashboard(dir: string): RequestHandler {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  const files = express.static(root, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    setHeaders: (res, file) => {
      secure(res);
      const immutable = path.relative(root, file).startsWith(HASHED_ASSETS.slice(1));
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const page = (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(HASHED_ASSETS)) return next();
    secure(res);
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' }, cacheControl: false }, (err?: NodeJS.ErrnoException) => {
      if (!err || res.headersSent) return;
      if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') return next(err);
      if (req.accepts(['json', 'html']) === 'html') return void res.status(404).type('html').send(NOT_BUILT_PAGE);
      next(new DomainError(ErrorCode.NotFound, NOT_BUILT));
    });
  };

  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_DASHBOARD.test(req.path)) return next();
    requestIdOf(req, res);
    files(req, res, (err?: unknown) => (err ? next(err) : page(req, res, next)));
  };
}
