import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { API_KEY_PATTERN } from '@app/crypto';
import { ApiKeyVerifier } from './api-key.verifier';
import { AuthedRequest, bearerToken } from './auth-context';
import { JwtGuard } from './jwt.guard';

/** Message routes: an API key (the usual way), or a dashboard JWT that names a project it owns. */
@Injectable()
export class MessageAuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyVerifier,
    private readonly jwt: JwtGuard,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req);
    if (!token) throw new DomainError(ErrorCode.Unauthorized, 'missing Authorization: Bearer <API key>');
    if (!token.startsWith('mjs_')) {
      req.auth = { kind: 'user', userId: await this.jwt.verify(token) };
      return true;
    }
    const key = API_KEY_PATTERN.test(token) ? await this.keys.verify(token) : null;
    if (!key) throw new DomainError(ErrorCode.Unauthorized, 'the API key is invalid or revoked');
    const claimed = req.headers['x-project-id'];
    if (claimed !== undefined && claimed !== key.projectId) {
      throw new DomainError(ErrorCode.Unauthorized, 'X-Project-Id does not match the API key\'s project');
    }
    if (key.type === 'public') {
      throw new DomainError(ErrorCode.Forbidden, 'a public key may only send templated messages; use a secret key on the server');
    }
    req.auth = {
      kind: 'apiKey',
      keyId: key.keyId,
      projectId: key.projectId,
      keyType: key.type,
      allowedOrigins: key.allowedOrigins,
      rateLimitPerSecond: key.rateLimitPerSecond,
    };
    return true;
  }
}
