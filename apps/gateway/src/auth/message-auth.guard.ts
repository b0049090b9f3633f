import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { API_KEY_PATTERN } from '@app/crypto';
import { ApiKeyVerifier } from './api-key.verifier';
import { AttemptLimits } from './attempt-limits';
import { AuthedRequest, bearerToken } from './auth-context';
import { JwtGuard } from './jwt.guard';

/** Browsers always send Origin on a cross-origin POST; compared as origins (scheme, host, port). */
function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * A public (browser) key may do one thing: POST /messages from one of its allowed origins. The body
 * rule (a template, nothing else) is checked where the body is known, in the messages controller.
 */
function assertPublicKeyUse(req: AuthedRequest, allowedOrigins: string[]): void {
  if (req.method !== 'POST' || req.path !== '/api/v1/messages') {
    throw new DomainError(ErrorCode.Forbidden, 'a public key can only send messages; use a secret key on the server');
  }
  const origin = typeof req.headers.origin === 'string' ? originOf(req.headers.origin) : null;
  if (!origin || !allowedOrigins.some((o) => originOf(o) === origin)) {
    throw new DomainError(ErrorCode.Forbidden, 'this public key is not allowed from this origin');
  }
  // Only an allowed origin may read the answer; secret keys never get CORS headers.
  req.res?.setHeader('Access-Control-Allow-Origin', origin);
  req.res?.setHeader('Vary', 'Origin');
  req.res?.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Idempotent-Replayed');
}

/** Message routes: an API key (the usual way), or a dashboard JWT that names a project it owns. */
@Injectable()
export class MessageAuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyVerifier,
    private readonly jwt: JwtGuard,
    private readonly attempts: AttemptLimits,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req);
    if (!token) throw new DomainError(ErrorCode.Unauthorized, 'missing Authorization: Bearer <API key>');
    if (!token.startsWith('mjs_')) {
      req.auth = { kind: 'user', userId: await this.jwt.verify(token) };
      return true;
    }
    // A key verified lately costs a map lookup; any other is verified within the address's budget of
    // unknown keys (429 past it), and an unknown one never costs a hash (see apiKeys.verify).
    const key =
      this.keys.recentlyVerified(token) ??
      (await this.attempts.keyAttempt(req.ip, req.res, async () => (API_KEY_PATTERN.test(token) ? this.keys.verify(token) : null)));
    if (!key) throw new DomainError(ErrorCode.Unauthorized, 'the API key is invalid or revoked');
    const claimed = req.headers['x-project-id'];
    if (claimed !== undefined && claimed !== key.projectId) {
      throw new DomainError(ErrorCode.Unauthorized, "X-Project-Id does not match the API key's project");
    }
    if (key.type === 'public') assertPublicKeyUse(req, key.allowedOrigins ?? []);
    req.auth = {
      kind: 'apiKey',
      keyId: key.keyId,
      projectId: key.projectId,
      keyType: key.type,
      allowedOrigins: key.allowedOrigins,
      dailyLimit: key.dailyLimit,
      rateLimitPerSecond: key.rateLimitPerSecond,
    };
    return true;
  }
}
