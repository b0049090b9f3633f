import { TelegramFake } from './fakes/telegram.fake';
import { Platform } from './support/platform';
import { createTenant } from './support/tenant';

jest.setTimeout(60_000);

describe('accounts, projects, API keys and connectors', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  const secrets: string[] = [];

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await Platform.start({ apps: ['management', 'gateway'] });
  });

  afterAll(async () => {
    await platform?.stop();
    await telegram?.close();
  });

  describe('auth', () => {
    it('signs up, logs in, refreshes with rotation and answers /auth/me', async () => {
      const email = 'Grace.Hopper@example.com';
      const password = 'a long enough password';
      secrets.push(password);
      const signup = await platform.request('POST', 'auth/signup', { body: { email, password } });
      expect(signup.status).toBe(201);
      expect(signup.body).toEqual({
        user: { id: expect.any(String), email: 'grace.hopper@example.com' },
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^mjs_rt_/),
      });
      secrets.push(signup.body.refreshToken);

      const dup = await platform.request('POST', 'auth/signup', { body: { email: email.toUpperCase(), password } });
      expect(dup.status).toBe(409);

      const login = await platform.request('POST', 'auth/login', { body: { email, password } });
      expect(login.status).toBe(200);
      const me = await platform.request('GET', 'auth/me', { token: login.body.accessToken });
      expect(me.body).toEqual({ id: signup.body.user.id, email: 'grace.hopper@example.com' });

      const refreshed = await platform.request('POST', 'auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
      const replay = await platform.request('POST', 'auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(replay.status).toBe(401);
      // Reuse of a rotated token ends that login: its newest token stops working too.
      const afterTheft = await platform.request('POST', 'auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
      expect(afterTheft.status).toBe(401);
    });

    it('answers an unknown email and a wrong password the same way', async () => {
      await platform.request('POST', 'auth/signup', { body: { email: 'known@example.com', password: 'the right password' } });
      const unknown = await platform.request('POST', 'auth/login', {
        body: { email: 'nobody@example.com', password: 'the right password' },
      });
      const wrong = await platform.request('POST', 'auth/login', { body: { email: 'known@example.com', password: 'the wrong password' } });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
    });

    it.each([
      ['a short password', { email: 'x@example.com', password: 'short' }, 'password'],
      ['an invalid email', { email: 'not-an-email', password: 'long enough password' }, 'email'],
      ['an unknown field', { email: 'y@example.com', password: 'long enough password', admin: true }, 'admin'],
    ])('refuses signup with %s (422)', async (_case, body, field) => {
      const res = await platform.request('POST', 'auth/signup', { body });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses missing, malformed and non-JWT tokens', async () => {
      expect((await platform.request('GET', 'auth/me')).status).toBe(401);
      expect((await platform.request('GET', 'auth/me', { token: 'garbage.token.here' })).status).toBe(401);
      const res = await platform.request('GET', 'projects', { token: `mjs_sk_${'a'.repeat(40)}` });
      expect(res.status).toBe(403);
    });
  });

  describe('projects and keys', () => {
    it('creates, lists, renames and deletes a project; a stranger gets 404 for all of it', async () => {
      const owner = await createTenant(platform);
      const stranger = await createTenant(platform);
      const list = await platform.request('GET', 'projects', { token: owner.accessToken });
      expect(list.body.data).toEqual([
        { id: owner.projectId, name: 'Test project', rateLimitPerSecond: null, createdAt: expect.any(String) },
      ]);

      const renamed = await platform.request('PATCH', `projects/${owner.projectId}`, {
        token: owner.accessToken,
        body: { name: 'Renamed', rateLimitPerSecond: 50 },
      });
      expect(renamed.body).toMatchObject({ name: 'Renamed', rateLimitPerSecond: 50 });

      for (const [method, path] of [
        ['GET', `projects/${owner.projectId}`],
        ['PATCH', `projects/${owner.projectId}`],
        ['DELETE', `projects/${owner.projectId}`],
        ['GET', `projects/${owner.projectId}/keys`],
        ['POST', `projects/${owner.projectId}/keys`],
        ['GET', `projects/${owner.projectId}/connectors`],
      ] as const) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'hijack' };
        const res = await platform.request(method, path, { token: stranger.accessToken, body });
        expect([method, path, res.status]).toEqual([method, path, 404]);
      }
      expect((await platform.request('GET', 'projects/not-a-uuid', { token: owner.accessToken })).status).toBe(404);

      expect((await platform.request('DELETE', `projects/${owner.projectId}`, { token: owner.accessToken })).status).toBe(204);
      expect((await platform.request('GET', `projects/${owner.projectId}`, { token: owner.accessToken })).status).toBe(404);
    });

    it('shows a key once, stores only its bcrypt hash, and lists it without the secret', async () => {
      const tenant = await createTenant(platform);
      const created = await platform.request('POST', `projects/${tenant.projectId}/keys`, {
        token: tenant.accessToken,
        body: { name: 'ci' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'ci', type: 'secret', key: expect.stringMatching(/^mjs_sk_[0-9A-Za-z]{40}$/) });
      expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
      secrets.push(created.body.key);

      const listed = await platform.request('GET', `projects/${tenant.projectId}/keys`, { token: tenant.accessToken });
      expect(listed.text).not.toContain(created.body.key);
      expect(listed.body.data.find((k: { id: string }) => k.id === created.body.id)).toEqual({
        id: created.body.id,
        name: 'ci',
        type: 'secret',
        prefix: created.body.prefix,
        allowedOrigins: null,
        dailyLimit: null,
        lastUsedAt: null,
        createdAt: expect.any(String),
        revokedAt: null,
      });
      const row = await platform.db.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
      expect(row.rows[0].key_hash).toMatch(/^\$2[aby]\$10\$/);
      expect(row.rows[0].key_hash).not.toContain(created.body.key);
    });
  });

  describe('connectors', () => {
    it('keeps credentials write-only and encrypted, and verifies them with the provider', async () => {
      const tenant = await createTenant(platform);
      const botToken = telegram.addToken();
      secrets.push(botToken);
      const created = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
        token: tenant.accessToken,
        body: { type: 'telegram', name: 'Support bot', credentials: { botToken }, config: { baseUrl: telegram.baseUrl } },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        type: 'telegram',
        name: 'Support bot',
        config: { baseUrl: telegram.baseUrl },
        callbackUrl: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const path = `projects/${tenant.projectId}/connectors/${created.body.id}`;
      for (const res of [
        created,
        await platform.request('GET', path, { token: tenant.accessToken }),
        await platform.request('GET', `projects/${tenant.projectId}/connectors`, { token: tenant.accessToken }),
      ]) {
        expect(res.text).not.toContain(botToken);
      }
      const stored = await platform.db.query('SELECT credentials_sealed, key_version FROM connectors WHERE id = $1', [created.body.id]);
      expect(stored.rows[0].credentials_sealed).toMatch(/^v1\./);
      expect(stored.rows[0].credentials_sealed).not.toContain(botToken.split(':')[1]);

      const verified = await platform.request('POST', `${path}/verify`, { token: tenant.accessToken });
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({ ok: true, identity: expect.stringMatching(/^@/) });

      const wrongToken = `${botToken.split(':')[0]}:${'Z'.repeat(35)}`;
      const patched = await platform.request('PATCH', path, { token: tenant.accessToken, body: { credentials: { botToken: wrongToken } } });
      expect(patched.status).toBe(200);
      const refused = await platform.request('POST', `${path}/verify`, { token: tenant.accessToken });
      expect(refused.status).toBe(422);
      expect(refused.body.type).toBe('https://messagejs.dev/problems/provider-rejected');
      expect(refused.body.detail).toMatch(/Unauthorized/);
      expect(refused.text).not.toContain(wrongToken);

      expect((await platform.request('DELETE', path, { token: tenant.accessToken })).status).toBe(204);
      expect((await platform.request('GET', path, { token: tenant.accessToken })).status).toBe(404);
    });

    it.each([
      ['a malformed bot token', { type: 'telegram', name: 'b', credentials: { botToken: 'nope' } }, 'credentials.botToken'],
      [
        'an unknown credentials field',
        { type: 'telegram', name: 'b', credentials: { botToken: `1:${'a'.repeat(30)}`, extra: 1 } },
        'credentials.extra',
      ],
      [
        'a bad baseUrl',
        { type: 'telegram', name: 'b', credentials: { botToken: `1:${'a'.repeat(30)}` }, config: { baseUrl: 'ftp://x' } },
        'config.baseUrl',
      ],
      ['an unknown type', { type: 'fax', name: 'b', credentials: {} }, 'type'],
    ])('refuses %s with 422 naming the field', async (_case, body, field) => {
      const tenant = await createTenant(platform);
      const res = await platform.request('POST', `projects/${tenant.projectId}/connectors`, { token: tenant.accessToken, body });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  it('never writes a password, key, refresh token or bot token to a log', () => {
    expect(secrets.length).toBeGreaterThan(3);
    const logs = platform.logs.join('\n');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
