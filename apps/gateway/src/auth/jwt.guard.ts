import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, ErrorCode } from '@app/contracts';
import { AuthedRequest, bearerToken } from './auth-context';

/** Dashboard and management routes: a valid access token, nothing else. */
@Injectable()
export class JwtGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req);
    if (!token) throw new DomainError(ErrorCode.Unauthorized, 'missing Authorization: Bearer <access token>');
    if (token.startsWith('mjs_')) throw new DomainError(ErrorCode.Forbidden, 'this route takes a dashboard access token, not an API key');
    req.auth = { kind: 'user', userId: await this.verify(token) };
    return true;
  }

  async verify(token: string): Promise<string> {
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; typ?: string }>(token, { algorithms: ['HS256'] });
      if (claims.typ !== 'access' || typeof claims.sub !== 'string') throw new Error('not an access token');
      return claims.sub;
    } catch {
      throw new DomainError(ErrorCode.Unauthorized, 'the access token is invalid or expired');
    }
  }
}
