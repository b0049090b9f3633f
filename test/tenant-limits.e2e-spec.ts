import { SecretBox } from '../libs/crypto/src/secret-box';
import { Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const QUOTA_EXCEEDED = 'https://messagejs.dev/problems/quota-exceeded';
/** Well under a second on a loaded machine; the quadratic regexes took 4.5–7.3 s on these inputs. */
const FAST_MS = 500;

/** Times one request, in ms, and returns its answer too. */
async function timed<T>(call: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await call();
  return [result, Math.round(performance.now() - started)];
}

/**
 * Issue 9's tenant ceilings against the running platform: inputs that took seconds of management's
 * event loop answer at once, every stored string has a length limit, and counts stop at the
 * operator's quotas even under concurrent creates.
 */
describe('tenant limits', () => {
  let platform: Platform;
  let tenant: Tenant;
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    platform = await Platform.start({
      env: {
        MAX_PROJECTS_PER_USER: '3',
        MAX_KEYS_PER_PROJECT: '3',
        MAX_CONNECTORS_PER_PROJECT: '2',
        MAX_TEMPLATES_PER_PROJECT: '4',
        MAX_WEBHOOKS_PER_PROJECT: '2',
      },
    });
    tenant = await createTenant(platform);
  });

  afterAll(async () => {
    // The numbers the report quotes.
    console.log(`linear-time probes (ms): ${JSON.stringify(measured)}`);
    await platform?.stop();
  });

  const post = (path: string, body: unknown, t: Tenant = tenant) => platform.request('POST', path, { token: t.accessToken, body });
  const project = (t: Tenant = tenant) => `projects/${t.projectId}`;

  describe('linear-time input', () => {
    it('answers an SMTP from of "a" + 80,000 spaces + "<x" at once, and still reads "Name <address>"', async () => {
      const [res, ms] = await timed(() =>
        post(`${project()}/connectors`, {
          type: 'smtp',
          name: 'probe',
          credentials: { host: '127.0.0.1', port: 2525, from: `a${' '.repeat(80_000)}<x` },
        }),
      );
      measured.smtpFrom = ms;
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual({ field: 'credentials.from', message: expect.stringContaining('at most 998 characters') });
      expect(ms).toBeLessThan(FAST_MS);

      const other = await createTenant(platform);
      const ok = await post(
        `${project(other)}/connectors`,
        { type: 'smtp', name: 'mail', credentials: { host: '127.0.0.1', port: 2525, from: '"Shop, Inc."   <shop@example.com>  ' } },
        other,
      );
      expect(ok.status).toBe(201);
    });

    it('answers template content "{{a" + 64,000 spaces + "b}}" at once, and still parses {{ name }}', async () => {
      const [res, ms] = await timed(() => post(`${project()}/templates`, { name: 'probe', content: `{{a${' '.repeat(64_000)}b}}` }));
      measured.templateContent = ms;
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/content has an invalid placeholder at character 1/);
      expect(ms).toBeLessThan(FAST_MS);

      const ok = await post(`${project()}/templates`, { name: 'spaced', content: `Hi {{   name   }}, {{a.b}}${' '.repeat(60_000)}!` });
      expect(ok.status).toBe(201);
      expect(ok.body.variables).toEqual(['name', 'a.b']);
      await platform.request('DELETE', `${project()}/templates/${ok.body.id}`, { token: tenant.accessToken });
    });
  });

  describe('length limits', () => {
    const long = (n: number) => 'x'.repeat(n);
    it.each([
      ['a connector name', 'connectors', { type: 'telegram', name: long(101), credentials: { botToken: '1:' + long(30) } }, 'name'],
      [
        'a base URL',
        'connectors',
        { type: 'telegram', name: 'b', credentials: { botToken: '1:' + long(30) }, config: { baseUrl: `https://e.com/${long(3000)}` } },
        'config.baseUrl',
      ],
      ['a bot token', 'connectors', { type: 'telegram', name: 'b', credentials: { botToken: '1:' + long(300) } }, 'credentials.botToken'],
      [
        'an SMTP password',
        'connectors',
        { type: 'smtp', name: 's', credentials: { host: 'h', port: 25, from: 'a@b.co', password: long(257) } },
        'credentials.password',
      ],
      [
        'an SMTP host',
        'connectors',
        { type: 'smtp', name: 's', credentials: { host: long(254), port: 25, from: 'a@b.co' } },
        'credentials.host',
      ],
      [
        'a WhatsApp access token',
        'connectors',
        { type: 'whatsapp', name: 'w', credentials: { accessToken: long(5000), phoneNumberId: '1' } },
        'credentials.accessToken',
      ],
      ['template content', 'templates', { name: 't', content: long(65_537) }, 'content'],
      ['a template name', 'templates', { name: long(101), content: 'x' }, 'name'],
      ['a webhook URL', 'webhooks', { url: `https://example.com/${long(2100)}`, events: ['message.sent'] }, 'url'],
      ['a key name', 'keys', { name: long(101) }, 'name'],
      ['an allowed origin', 'keys', { name: 'k', type: 'public', allowedOrigins: [`https://${long(2050)}.com`] }, 'allowedOrigins'],
    ])('refuses %s past its limit with a 422 naming the field', async (_what, collection, body, field) => {
      const res = await post(`${project()}/${collection}`, body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.body.detail).toMatch(/at most|longer|shorter|must/);
    });

    it('refuses a project name past 100 characters', async () => {
      const res = await post('projects', { name: 'p'.repeat(101) });
      expect(res.status).toBe(422);
    });
  });

  describe('operator ceilings', () => {
    it('caps rateLimitPerSecond at PROJECT_MAX_RATE_LIMIT (default 1000)', async () => {
      const patch = (rateLimitPerSecond: number) =>
        platform.request('PATCH', project(), { token: tenant.accessToken, body: { rateLimitPerSecond } });
      const above = await patch(1001);
      expect(above.status).toBe(422);
      expect(above.body.detail).toBe('rateLimitPerSecond must be at most 1000 (PROJECT_MAX_RATE_LIMIT)');
      expect((await patch(1000)).status).toBe(200);
    });

    it('stops concurrent template creates at MAX_TEMPLATES_PER_PROJECT (409 quota-exceeded naming the limit)', async () => {
      const owner = await createTenant(platform);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => post(`${project(owner)}/templates`, { name: `t${i}`, content: 'Hi {{name}}' }, owner)),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(4);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(8);
      for (const r of refused) {
        expect(r.status).toBe(409);
        expect(r.body.type).toBe(QUOTA_EXCEEDED);
        expect(r.body.detail).toBe('MAX_TEMPLATES_PER_PROJECT reached: at most 4 templates per project');
      }
    });

    it.each([
      [
        'connectors',
        'MAX_CONNECTORS_PER_PROJECT',
        2,
        (i: number) => ({ type: 'smtp', name: `c${i}`, credentials: { host: 'h', port: 25, from: 'a@b.co' } }),
      ],
      ['keys', 'MAX_KEYS_PER_PROJECT', 3, (i: number) => ({ name: `k${i}` })],
      ['webhooks', 'MAX_WEBHOOKS_PER_PROJECT', 2, () => ({ url: 'https://93.184.215.14/hook', events: ['message.sent'] })],
    ])('stops concurrent %s creates at %s (%i)', async (collection, setting, limit, body) => {
      const owner = await createTenant(platform); // already holds one key
      const existing = collection === 'keys' ? 1 : 0;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(`${project(owner)}/${collection}`, body(i), owner)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(limit - existing);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect([r.status, r.body.type]).toEqual([409, QUOTA_EXCEEDED]);
        expect(r.body.detail).toContain(`${setting} reached: at most ${limit}`);
      }
    });

    it('stops concurrent project creates at MAX_PROJECTS_PER_USER', async () => {
      const owner = await createTenant(platform); // already owns one project
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => post('projects', { name: `p${i}` }, owner)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(2);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(409);
        expect(r.body.detail).toBe('MAX_PROJECTS_PER_USER reached: at most 3 projects per user');
      }
    });
  });

  describe('WhatsApp verifyToken', () => {
    it('is a write-only credential, and a token stored in config by an older release moves into the sealed credentials', async () => {
      const owner = await createTenant(platform);
      const credentials = { accessToken: 'E'.repeat(40), phoneNumberId: '106540352242922' };
      const inConfig = await post(
        `${project(owner)}/connectors`,
        { type: 'whatsapp', name: 'wa', credentials, config: { verifyToken: 'x'.repeat(12) } },
        owner,
      );
      expect(inConfig.status).toBe(422);
      expect(inConfig.body.errors).toContainEqual({ field: 'config.verifyToken', message: 'is not a known field' });

      const created = await post(`${project(owner)}/connectors`, { type: 'whatsapp', name: 'wa', credentials }, owner);
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      // As an older release stored it: readable, in config.
      await platform.db.query(`UPDATE connectors SET config = config || '{"verifyToken":"legacy-verify-token"}' WHERE id = $1`, [id]);
      const challenge = () =>
        platform.request('GET', `callbacks/whatsapp/${id}?hub.mode=subscribe&hub.verify_token=legacy-verify-token&hub.challenge=42`);
      expect((await challenge()).text).toBe('42');
      const shown = await platform.request('GET', `${project(owner)}/connectors/${id}`, { token: owner.accessToken });
      expect(shown.body.config).toEqual({});

      await platform.terminate('management');
      await platform.startApp('management'); // moves it on start
      const row = await platform.db.query('SELECT config, credentials_sealed FROM connectors WHERE id = $1', [id]);
      expect(row.rows[0].config).toEqual({});
      expect(row.rows[0].credentials_sealed).not.toContain('legacy-verify-token');
      const box = new SecretBox(new Map([[1, Buffer.from(platform.env.MESSAGEJS_ENCRYPTION_KEY, 'base64')]]), 1);
      expect(JSON.parse(box.open(row.rows[0].credentials_sealed))).toEqual({ ...credentials, verifyToken: 'legacy-verify-token' });
      expect((await challenge()).text).toBe('42');
    });
  });

  describe('template pages', () => {
    it('lists templates newest first, a page at a time, with a cursor', async () => {
      const owner = await createTenant(platform);
      const names: string[] = [];
      for (let i = 0; i < 4; i++) {
        const created = await post(`${project(owner)}/templates`, { name: `page-${i}`, content: 'x' }, owner);
        expect(created.status).toBe(201);
        names.unshift(created.body.name);
      }
      const list = (query: string) => platform.request('GET', `${project(owner)}/templates${query}`, { token: owner.accessToken });
      const first = await list('?limit=3');
      expect(first.status).toBe(200);
      expect(first.body.data.map((t: { name: string }) => t.name)).toEqual(names.slice(0, 3));
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await list(`?limit=3&cursor=${first.body.nextCursor}`);
      expect(second.body.data.map((t: { name: string }) => t.name)).toEqual(names.slice(3));
      expect(second.body.nextCursor).toBeNull();
      expect((await list('')).body).toMatchObject({ data: expect.any(Array), nextCursor: null });
      expect((await list('?cursor=not-a-cursor')).status).toBe(422);
      expect((await list('?limit=101')).status).toBe(422);
    });
  });
});
