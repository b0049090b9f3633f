import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DomainError, ErrorCode } from '@app/contracts';
import { UserEntity } from '@app/database';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { ManagementModule } from '../management.module';
import { AuthService } from './auth.service';

// Under test: AuthService on the management app's real module and a fresh PostgreSQL database.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('AuthService', () => {
  let app: AppContext;
  let auth: AuthService;
  const email = () => `Someone-${randomUUID()}@Example.test`;

  beforeAll(async () => {
    app = await compileApp(ManagementModule);
    auth = app.get(AuthService);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('signs up with a lower-cased email, keeps only a hash of the password, and issues tokens for that user', async () => {
    const address = email();
    const tokens = await auth.signup(address, 'correct horse battery');
    const user = await app.dataSource.getRepository(UserEntity).findOneByOrFail({ email: address.toLowerCase() });
    expect(user.passwordHash).not.toContain('correct horse battery');
    const claims = app.get(JwtService).verify<{ sub: string }>(tokens.accessToken);
    expect(claims.sub).toBe(user.id);
    expect(await auth.me(user.id)).toEqual({ id: user.id, email: address.toLowerCase() });
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const address = email();
    await auth.signup(address, 'password-one');
    expect(await code(auth.signup(address.toUpperCase(), 'password-two'))).toBe(ErrorCode.Conflict);
  });

  it('logs in with the right password and answers a wrong password and an unknown email alike', async () => {
    const address = email();
    await auth.signup(address, 'the-right-one');
    await expect(auth.login(address.toUpperCase(), 'the-right-one')).resolves.toHaveProperty('accessToken');
    const wrong = await auth.login(address, 'a-wrong-one').catch((err: DomainError) => err);
    const unknown = await auth.login(email(), 'the-right-one').catch((err: DomainError) => err);
    expect(wrong).toBeInstanceOf(DomainError);
    expect([(wrong as DomainError).code, (wrong as DomainError).message]).toEqual([
      (unknown as DomainError).code,
      (unknown as DomainError).message,
    ]);
    expect((wrong as DomainError).code).toBe(ErrorCode.Unauthorized);
  });

  it('rotates refresh tokens: each works once, and presenting a used one ends the whole login', async () => {
    const first = await auth.signup(email(), 'rotate-me-please');
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Reusing the first (a theft signal) revokes the family, so the second stops working too.
    expect(await code(auth.refresh(first.refreshToken))).toBe(ErrorCode.Unauthorized);
    expect(await code(auth.refresh(second.refreshToken))).toBe(ErrorCode.Unauthorized);
  });

  it('refuses a refresh token it never issued', async () => {
    expect(await code(auth.refresh('not-a-token'))).toBe(ErrorCode.Unauthorized);
  });
});
