import { Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(90_000);

const DAY_MS = 86_400_000;
const cookieOf = (setCookie: string | null) => /mjs_refresh=([^;]*)/.exec(setCookie ?? '')?.[1];

/** API.md "Sessions and abuse limits" and the dashboard's browser sessions: logins end when the user says so. */
describe('sessions', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['management', 'gateway'] });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const login = (user: Tenant, headers: Record<string, string> = {}) =>
    platform.request('POST', 'auth/login', { body: { email: user.email, password: user.password }, headers });
  const refresh = (refreshToken: string) => platform.request('POST', 'auth/refresh', { body: { refreshToken } });

  it('logout ends that login (its whole rotation family) and no other', async () => {
    const user = await createTenant(platform);
    const other = (await login(user)).body.refreshToken as string;
    const rotated = await refresh(user.refreshToken);
    expect(rotated.status).toBe(200);
    const out = await platform.request('POST', 'auth/logout', { body: { refreshToken: rotated.body.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    // An older token of the same family does not bring it back.
    expect((await refresh(user.refreshToken)).status).toBe(401);
    // The same user's other login goes on.
    expect((await refresh(other)).status).toBe(200);
    // Logging out twice, or with a token that never existed, answers the same.
    expect((await platform.request('POST', 'auth/logout', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(204);
    expect((await platform.request('POST', 'auth/logout', { body: {} })).status).toBe(401);
  });

  it('keeps a browser session in an HttpOnly cookie with X-Session: cookie, and ends it at logout', async () => {
    const user = await createTenant(platform);
    const session = { 'x-session': 'cookie' };
    const res = await login(user, session);
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.refreshToken).toBeUndefined();
    const setCookie = res.headers.get('set-cookie');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/api\/v1\/auth/);
    expect(setCookie).not.toMatch(/Secure/i); // served over plain http here
    const first = cookieOf(setCookie)!;
    expect(first).toMatch(/^mjs_rt_/);

    // Without the header the cookie is not read, so a cross-site form cannot use it.
    expect((await platform.request('POST', 'auth/refresh', { body: {}, headers: { cookie: `mjs_refresh=${first}` } })).status).toBe(401);
    const refreshed = await platform.request('POST', 'auth/refresh', { body: {}, headers: { ...session, cookie: `mjs_refresh=${first}` } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const second = cookieOf(refreshed.headers.get('set-cookie'))!;
    expect(second).toMatch(/^mjs_rt_/);
    expect(second).not.toBe(first);

    const out = await platform.request('POST', 'auth/logout', { body: {}, headers: { ...session, cookie: `mjs_refresh=${second}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/mjs_refresh=;.*Expires=Thu, 01 Jan 1970/);
    expect((await refresh(second)).status).toBe(401);
  });

  it('a password change ends every login of the user', async () => {
    const user = await createTenant(platform);
    const second = (await login(user)).body.refreshToken as string;
    const change = (currentPassword: string, newPassword: string) =>
      platform.request('POST', 'auth/password', { token: user.accessToken, body: { currentPassword, newPassword } });
    const wrong = await change('not my password', 'a brand new password');
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'is incorrect' }]);
    expect((await change(user.password, 'short')).status).toBe(422);
    expect(
      (await platform.request('POST', 'auth/password', { body: { currentPassword: user.password, newPassword: 'x'.repeat(12) } })).status,
    ).toBe(401);
    // Nothing changed yet.
    expect((await login(user)).status).toBe(200);

    const changed = await change(user.password, 'a brand new password');
    expect(changed.status).toBe(204);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
    expect((await login(user)).status).toBe(401);
    const fresh = await login({ ...user, password: 'a brand new password' });
    expect(fresh.status).toBe(200);
    expect((await refresh(fresh.body.refreshToken)).status).toBe(200);
  });

  it('a login lasts 30 days from when it started however often its token rotates', async () => {
    const user = await createTenant(platform);
    const family = async () =>
      (
        await platform.db.query<{ family_id: string; expires_at: Date; created_at: Date }>(
          `SELECT family_id, expires_at, created_at FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at`,
          [user.userId],
        )
      ).rows;
    const [started] = await family();
    expect(started.expires_at.getTime() - started.created_at.getTime()).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(started.expires_at.getTime() - started.created_at.getTime()).toBeLessThanOrEqual(30 * DAY_MS + 60_000);

    let token = user.refreshToken;
    for (let i = 0; i < 3; i++) token = (await refresh(token)).body.refreshToken;
    const rows = await family();
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.expires_at.getTime()).toBe(started.expires_at.getTime());

    // Thirty days after the login (moved back in the database rather than waited for), the family is over.
    await platform.db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second', created_at = created_at - interval '30 days' WHERE family_id = $1`,
      [started.family_id],
    );
    expect((await refresh(token)).status).toBe(401);
  });
});
