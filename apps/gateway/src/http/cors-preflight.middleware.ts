import { NextFunction, Request, Response } from 'express';

/**
 * CORS preflight for the one route a browser may call (POST /messages with a public key). A preflight
 * carries no key, so it is answered for any origin; the real request is then refused (403) unless
 * its public key allows that origin, and only then does the answer carry Access-Control-Allow-Origin.
 */
export function corsPreflight(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'OPTIONS' || req.path !== '/api/v1/messages' || typeof req.headers.origin !== 'string') return next();
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Project-Id');
  res.setHeader('Access-Control-Max-Age', '600');
  res.setHeader('Vary', 'Origin');
  res.status(204).end();
}
