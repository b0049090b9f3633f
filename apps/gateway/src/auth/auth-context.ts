import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export type AuthContext =
  | { kind: 'user'; userId: string }
  | {
      kind: 'apiKey';
      keyId: string;
      projectId: string;
      keyType: 'secret' | 'public';
      allowedOrigins: string[] | null;
      /** Public keys: accepted messages per UTC day. */
      dailyLimit: number | null;
      /** The project's own limit; null means the platform default. */
      rateLimitPerSecond: number | null;
    };

export type AuthedRequest = Request & { auth?: AuthContext };

export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().auth!;
});

export const CurrentUserId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const auth = ctx.switchToHttp().getRequest<AuthedRequest>().auth;
  if (auth?.kind !== 'user') throw new Error('CurrentUserId used on a route not guarded by JwtGuard');
  return auth.userId;
});

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
