import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { HTTP_PROBLEMS, Problem, PROBLEM_BASE, problemFor } from './problem';

/** Body-parser and routing failures that reach us as HttpExceptions or raw errors with a status. */
function fromHttp(status: number, err: { type?: string; message?: string }): { code: ErrorCode | null; status: number; detail: string } {
  if (err.type === 'entity.too.large') return { code: null, status: 413, detail: 'the request body is larger than 256 KiB' };
  if (err.type === 'entity.parse.failed') return { code: ErrorCode.BadRequest, status: 400, detail: 'the request body is not valid JSON' };
  if (status === 404) return { code: ErrorCode.NotFound, status, detail: 'no such route' };
  if (status === 415) return { code: null, status, detail: err.message ?? 'unsupported media type' };
  if (status >= 400 && status < 500) return { code: null, status, detail: err.message ?? 'bad request' };
  return { code: ErrorCode.Internal, status: 500, detail: 'internal error' };
}

/** The one place errors become RFC 9457 problems; nothing else writes an error body. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.write(exception, ctx.getRequest<Request>(), ctx.getResponse<Response>());
  }

  /** Also the Express error handler, for failures before routing (body parser, content type). */
  write(exception: unknown, req: Request, res: Response): void {
    const problem = this.toProblem(exception, req);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, errorId: problem.errorId, url: req.originalUrl?.split('?')[0] }, 'request failed');
    }
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown, req: Request): Problem {
    const instance = req.originalUrl?.split('?')[0];
    if (exception instanceof DomainError) {
      const p = problemFor(exception.code);
      const problem: Problem = { type: `${PROBLEM_BASE}/${p.slug}`, title: p.title, status: p.status, detail: exception.message, instance };
      if (exception.errors?.length) problem.errors = exception.errors;
      if (p.status >= 500) problem.errorId = randomUUID();
      return problem;
    }
    const raw = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = exception instanceof HttpException ? exception.getStatus() : (raw?.status ?? raw?.statusCode ?? 500);
    const mapped = fromHttp(status, raw ?? {});
    if (mapped.code) {
      const p = problemFor(mapped.code);
      const problem: Problem = { type: `${PROBLEM_BASE}/${p.slug}`, title: p.title, status: p.status, detail: mapped.detail, instance };
      if (p.status >= 500) problem.errorId = randomUUID();
      return problem;
    }
    const { slug, title } = HTTP_PROBLEMS[mapped.status as keyof typeof HTTP_PROBLEMS] ?? problemFor(ErrorCode.BadRequest);
    return { type: `${PROBLEM_BASE}/${slug}`, title, status: mapped.status, detail: mapped.detail, instance };
  }
}
