import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { DomainError, DomainErrorBody, ErrorCode } from '@app/contracts';

/** Sends domain errors across the transport as their body; anything else as an opaque internal error. */
@Catch()
export class RpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) return throwError(() => exception.toBody());
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`PostgreSQL is unavailable: ${(exception as Error).message}`);
      return throwError(() => ({ code: ErrorCode.Unavailable, message: 'PostgreSQL is unavailable' }) satisfies DomainErrorBody);
    }
    const pattern = host.switchToRpc().getContext<{ getChannel?: () => string } | undefined>()?.getChannel?.() ?? 'unknown';
    this.logger.error({ err: exception, pattern }, 'unhandled error in RPC handler');
    const body: DomainErrorBody = { code: ErrorCode.Internal, message: 'internal error' };
    return throwError(() => body);
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/** Connection-level PostgreSQL failures (server down, restarting, too many clients): a 503, not a 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const candidates = [err, (err as { driverError?: unknown })?.driverError];
  return candidates.some((e) => {
    if (!e || typeof e !== 'object') return false;
    const { code, message } = e as { code?: string; message?: string };
    if (code && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
    return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message ?? '',
    );
  });
}
