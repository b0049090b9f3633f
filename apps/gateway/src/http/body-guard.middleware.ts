import { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';

/**
 * Before the JSON parser: a body on POST/PATCH/PUT must be JSON (415 otherwise). After it: the JSON
 * must be an object (400 otherwise).
 */
export function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (
    ['POST', 'PATCH', 'PUT'].includes(req.method) &&
    hasBody &&
    !req.is('application/json') &&
    !req.path.startsWith('/api/v1/callbacks/')
  ) {
    const err = Object.assign(new Error('the request body must be application/json'), { status: 415 });
    return next(err);
  }
  next();
}

export function requireObjectBody(req: Request, _res: Response, next: NextFunction): void {
  if (['POST', 'PATCH', 'PUT'].includes(req.method) && req.body !== undefined && req.is('application/json')) {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      return next(new DomainError(ErrorCode.BadRequest, 'the request body must be a JSON object'));
    }
  }
  next();
}
