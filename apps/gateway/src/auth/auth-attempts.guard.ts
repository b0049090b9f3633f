import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AttemptLimits } from './attempt-limits';

/** Every /auth/* route, per client IP, before the body is validated or anything is hashed. */
@Injectable()
export class AuthAttemptsGuard implements CanActivate {
  constructor(private readonly limits: AttemptLimits) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const http = ctx.switchToHttp();
    await this.limits.authRequest(http.getRequest<Request>().ip, http.getResponse<Response>());
    return true;
  }
}
