import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { DomainError, DomainErrorBody, ErrorCode } from '@app/contracts';

/** Sends domain errors across the transport as their body; anything else as an opaque internal error. */
@Catch()
export class RpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) return throwError(() => exception.toBody());
    const pattern = host.switchToRpc().getContext()?.getChannel?.() ?? 'unknown';
    this.logger.error({ err: exception, pattern }, 'unhandled error in RPC handler');
    const body: DomainErrorBody = { code: ErrorCode.Internal, message: 'internal error' };
    return throwError(() => body);
  }
}
