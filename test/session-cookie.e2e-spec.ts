import { randomBytes } from 'node:crypto';
import { Platform } from './support/platform';

jest.setTimeout(60_000);

const SESSION = { 'x-session': 'cookie' };

/** The `mjs_refresh=<value>` pair of a Set-Cookie header, and its attributes. */
function sessionCookie(headers: Headers): { pair: string; value: string; attributes: string[] } {
  const header = headers.get('set-cookie') ?? '';
  const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
  return { pair, value: pair.slice(pair.indexOf('=') + 1), attributes };
}

describe('browser sessions: the refresh token in an HttpOnly cookie (X-Session: cookie)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['management', 'gateway'] });
  });

  afterAll(() => platform?.stop());

  it('keeps the refresh token out of the body, in a Strict HttpOnly cookie scoped to /api/v1/auth, rotated by refresh', async () => {
    const email = `cookie-${randomBytes(4).toString('hex')}@example.com`;
    const signup = await platform.request('POST', 'auth/signup', { body: { email, password: 'a long enough password' }, headers: SESSION });
    expect(signup.status).toBe(201);
    expect(signup.body).toEqual({ user: { id: expect.any(String), email }, accessToken: expect.any(String) });
    const first = sessionCookie(signup.headers);
    expect(first.value).toMatch(/^mjs_rt_/);
    expect(first.attributes).toEqual(expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']));
    expect(first.attributes).not.toContain('Secure');

    const refreshed = await platform.request('POST', 'auth/refresh', { body: {}, headers: { ...SESSION, cookie: first.pair } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const second = sessionCookie(refreshed.headers);
    expect(second.value).toMatch(/^mjs_rt_/);
    expect(second.value).not.toBe(first.value);

    // Rotation: the first cookie is spent.
    const replayed = await platform.request('POST', 'auth/refresh', { body: {}, headers: { ...SESSION, cookie: first.pair } });
    expect(replayed.status).toBe(401);
    const me = await platform.request('GET', 'auth/me', { token: refreshed.body.accessToken });
    expect(me.body.email).toBe(email);
  });

  it('ignores the cookie without the X-Session header (a cross-site form cannot use it)', async () => {
    const email = `cookie-${randomBytes(4).toString('hex')}@example.com`;
    const login = await platform.request('POST', 'auth/signup', { body: { email, password: 'a long enough password' }, headers: SESSION });
    const { pair } = sessionCookie(login.headers);
    const res = await platform.request('POST', 'auth/refresh', { body: {}, headers: { cookie: pair } });
    expect(res.status).toBe(422);
  });

  it('still answers JSON clients with the refresh token in the body', async () => {
    const email = `json-${randomBytes(4).toString('hex')}@example.com`;
    const signup = await platform.request('POST', 'auth/signup', { body: { email, password: 'a long enough password' } });
    expect(signup.body.refreshToken).toMatch(/^mjs_rt_/);
    expect(signup.headers.get('set-cookie')).toBeNull();
  });
});
