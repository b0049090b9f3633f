import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthTokens, DomainError, ErrorCode } from '@app/contracts';
import { hashSecret, randomBase62, sha256Hex, verifySecret } from '@app/crypto';
import { RefreshTokenRepository, UserEntity, UserRepository } from '@app/database';

/** A login's refresh tokens work for at most this long after it, however often they rotate. */
export const REFRESH_FAMILY_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const BAD_CREDENTIALS = 'email or password is incorrect';
const BAD_REFRESH = 'refresh token is invalid or expired';
const EMAIL_TAKEN = 'an account with this email already exists';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly jwt: JwtService,
  ) {}

  async signup(email: string, password: string): Promise<AuthTokens> {
    const normalized = email.toLowerCase();
    if (await this.users.emailTaken(normalized)) throw new DomainError(ErrorCode.Conflict, EMAIL_TAKEN);
    const user = await this.users.create(normalized, await hashSecret(password));
    if (!user) throw new DomainError(ErrorCode.Conflict, EMAIL_TAKEN);
    return this.startFamily(user);
  }

  /** Unknown email and wrong password cost one bcrypt each and answer the same. */
  async login(email: string, password: string): Promise<AuthTokens> {
    const user = await this.users.findByEmail(email.toLowerCase());
    const ok = await verifySecret(password, user?.passwordHash);
    if (!user || !ok) throw new DomainError(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    return this.startFamily(user);
  }

  /**
   * Rotation: each refresh token works once; presenting a used one ends the whole login (theft signal).
   * The new token inherits the family's end, so a login lasts 30 days however often it refreshes.
   */
  async refresh(refreshToken: string): Promise<AuthTokens> {
    const row = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (!row || row.expiresAt.getTime() < Date.now()) throw new DomainError(ErrorCode.Unauthorized, BAD_REFRESH);
    if (!(await this.refreshTokens.claim(row.id))) {
      await this.refreshTokens.deleteFamily(row.familyId);
      throw new DomainError(ErrorCode.Unauthorized, BAD_REFRESH);
    }
    const user = await this.users.find(row.userId);
    if (!user) throw new DomainError(ErrorCode.Unauthorized, BAD_REFRESH);
    return this.issue(user, row.familyId, row.expiresAt);
  }

  /** Ends the login the token belongs to (every token of its family); an unknown token is already logged out. */
  async logout(refreshToken: string): Promise<{ loggedOut: true }> {
    const row = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (row) await this.refreshTokens.deleteFamily(row.familyId);
    return { loggedOut: true };
  }

  /** A new password ends every login of the user: whoever knew the old one keeps no refresh token. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<{ changed: true }> {
    const user = await this.users.find(userId);
    if (!user) throw new DomainError(ErrorCode.Unauthorized, 'the account no longer exists');
    if (!(await verifySecret(currentPassword, user.passwordHash))) throw DomainError.validation('currentPassword', 'is incorrect');
    const passwordHash = await hashSecret(newPassword);
    await this.users.setPasswordEndingLogins(userId, passwordHash);
    return { changed: true };
  }

  async me(userId: string): Promise<{ id: string; email: string }> {
    const user = await this.users.find(userId);
    if (!user) throw new DomainError(ErrorCode.Unauthorized, 'the account no longer exists');
    return { id: user.id, email: user.email };
  }

  private startFamily(user: UserEntity): Promise<AuthTokens> {
    return this.issue(user, randomUUID(), new Date(Date.now() + REFRESH_FAMILY_LIFETIME_MS));
  }

  private async issue(user: UserEntity, familyId: string, expiresAt: Date): Promise<AuthTokens> {
    const refreshToken = `mjs_rt_${randomBase62(48)}`;
    await this.refreshTokens.insert({ userId: user.id, familyId, tokenHash: sha256Hex(refreshToken), expiresAt });
    const accessToken = await this.jwt.signAsync({ sub: user.id, email: user.email, typ: 'access' });
    return { user: { id: user.id, email: user.email }, accessToken, refreshToken, refreshTokenExpiresAt: expiresAt.toISOString() };
  }
}
