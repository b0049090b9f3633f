import { Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const INVALID = 'https://messagejs.dev/problems/validation-error';

function fieldsOf(body: { errors?: Array<{ field: string }> }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}

describe('templates', () => {
  let platform: Platform;
  let tenant: Tenant;

  const templates = (t: Tenant = tenant) => `projects/${t.projectId}/templates`;
  const create = (body: unknown, t: Tenant = tenant) => platform.request('POST', templates(t), { token: t.accessToken, body });

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['management', 'gateway'] });
    tenant = await createTenant(platform);
  });

  afterAll(() => platform?.stop());

  it('creates a template with its variables parsed in order of first appearance, then lists, gets, patches and deletes it', async () => {
    const content = 'Hi {{ name }}, order {{order.id}} ships {{date}}. Bye {{name}}!';
    const created = await create({ name: 'order-shipped', content, channel: 'telegram' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'order-shipped',
      content,
      channel: 'telegram',
      variables: ['name', 'order.id', 'date'],
      whatsapp: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const path = `${templates()}/${created.body.id}`;

    const listed = await platform.request('GET', templates(), { token: tenant.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toContainEqual(created.body);
    expect((await platform.request('GET', path, { token: tenant.accessToken })).body).toEqual(created.body);

    const patched = await platform.request('PATCH', path, {
      token: tenant.accessToken,
      body: { content: '{{date}}: {{ greeting }} {{name}}' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'order-shipped', channel: 'telegram', variables: ['date', 'greeting', 'name'] });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
    const renamed = await platform.request('PATCH', path, { token: tenant.accessToken, body: { name: 'order.shipped_v2', channel: null } });
    expect(renamed.body).toMatchObject({ name: 'order.shipped_v2', channel: null, variables: ['date', 'greeting', 'name'] });
    const row = await platform.db.query('SELECT project_id, variables FROM templates WHERE id = $1', [created.body.id]);
    expect(row.rows[0]).toEqual({ project_id: tenant.projectId, variables: ['date', 'greeting', 'name'] });

    expect((await platform.request('DELETE', path, { token: tenant.accessToken })).status).toBe(204);
    expect((await platform.request('GET', path, { token: tenant.accessToken })).status).toBe(404);
    expect((await platform.request('DELETE', path, { token: tenant.accessToken })).status).toBe(404);
  });

  it('keeps content exactly as sent, with no variables when it has no placeholders', async () => {
    const content = '<b>Plain</b> & "quoted" } text {';
    const created = await create({ name: 'plain', content });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ content, channel: null, variables: [] });
  });

  it('refuses a second template with the same name in a project (409), also by rename, but not in another project', async () => {
    expect((await create({ name: 'welcome', content: 'Hello {{name}}' })).status).toBe(201);
    const dup = await create({ name: 'welcome', content: 'Hi again' });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toBe('https://messagejs.dev/problems/conflict');

    const other = await create({ name: 'goodbye', content: 'Bye' });
    const rename = await platform.request('PATCH', `${templates()}/${other.body.id}`, {
      token: tenant.accessToken,
      body: { name: 'welcome' },
    });
    expect(rename.status).toBe(409);
    const same = await platform.request('PATCH', `${templates()}/${other.body.id}`, {
      token: tenant.accessToken,
      body: { name: 'goodbye' },
    });
    expect(same.status).toBe(200);

    const elsewhere = await createTenant(platform);
    expect((await create({ name: 'welcome', content: 'Hello' }, elsewhere)).status).toBe(201);
  });

  it.each([
    ['an unknown field', { name: 'a', content: 'x', variables: ['x'] }, 'variables', 'is not a known field'],
    [
      'an unknown whatsapp field',
      { name: 'a', content: 'x', whatsapp: { name: 'a', language: 'en', category: 'utility' } },
      'whatsapp.category',
      'is not a known field',
    ],
    ['no content', { name: 'a' }, 'content', null],
    ['empty content', { name: 'a', content: '' }, 'content', null],
    ['content over 64 KiB', { name: 'a', content: 'x'.repeat(65_537) }, 'content', null],
    ['a name with spaces', { name: 'my template', content: 'x' }, 'name', null],
    ['a name over 100 characters', { name: 'a'.repeat(101), content: 'x' }, 'name', null],
    ['an unknown channel', { name: 'a', content: 'x', channel: 'fax' }, 'channel', null],
    ['an unclosed placeholder', { name: 'a', content: 'Hi {{name' }, 'content', 'has an unclosed {{ at character 4'],
    ['an empty placeholder', { name: 'a', content: 'Hi {{ }}' }, 'content', 'has an empty placeholder at character 4'],
    [
      'an invalid variable name',
      { name: 'a', content: 'Hi {{1st}}' },
      'content',
      expect.stringContaining('has an invalid placeholder {{1st}}'),
    ],
    ['a whatsapp name with capitals', { name: 'a', content: 'x', whatsapp: { name: 'Hello', language: 'en_US' } }, 'whatsapp.name', null],
    [
      'a whatsapp language that is not a code',
      { name: 'a', content: 'x', whatsapp: { name: 'hello', language: 'English' } },
      'whatsapp.language',
      null,
    ],
    ['a whatsapp that is not an object', { name: 'a', content: 'x', whatsapp: 'hello' }, 'whatsapp', null],
  ])('refuses %s with 422 naming the field', async (_case, body, field, message) => {
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe(INVALID);
    expect(fieldsOf(res.body)).toContain(field);
    if (message) expect(res.body.errors).toContainEqual({ field, message });
  });

  it('refuses a patch that breaks the content, and keeps the template as it was', async () => {
    const created = await create({ name: 'patch-syntax', content: 'Hi {{name}}' });
    const path = `${templates()}/${created.body.id}`;
    const res = await platform.request('PATCH', path, { token: tenant.accessToken, body: { content: 'Hi {{name}' } });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(['content']);
    expect((await platform.request('GET', path, { token: tenant.accessToken })).body).toEqual(created.body);
  });

  describe('the whatsapp field', () => {
    const whatsapp = { name: 'order_shipped', language: 'en_US' };

    it.each([
      ['channel whatsapp', { channel: 'whatsapp' }],
      ['no channel', {}],
    ])('is accepted with %s', async (_case, extra) => {
      const res = await create({ name: `wa-${Object.keys(extra).length}`, content: 'Hi {{name}}, {{order}}', whatsapp, ...extra });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ whatsapp, variables: ['name', 'order'] });
    });

    it('is refused for another channel, on create and by a patch of either field', async () => {
      const refused = await create({ name: 'wa-telegram', content: 'x', channel: 'telegram', whatsapp });
      expect(refused.status).toBe(422);
      expect(fieldsOf(refused.body)).toEqual(['whatsapp']);

      const created = await create({ name: 'wa-patch', content: 'x', channel: 'whatsapp', whatsapp });
      const path = `${templates()}/${created.body.id}`;
      const toSms = await platform.request('PATCH', path, { token: tenant.accessToken, body: { channel: 'twilio' } });
      expect(toSms.status).toBe(422);
      expect(fieldsOf(toSms.body)).toEqual(['whatsapp']);

      const plain = await create({ name: 'wa-later', content: 'x', channel: 'smtp' });
      const addToSmtp = await platform.request('PATCH', `${templates()}/${plain.body.id}`, {
        token: tenant.accessToken,
        body: { whatsapp },
      });
      expect(addToSmtp.status).toBe(422);

      const both = await platform.request('PATCH', path, { token: tenant.accessToken, body: { channel: 'twilio', whatsapp: null } });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ channel: 'twilio', whatsapp: null });
    });
  });

  it('answers 404 to another tenant for every route, and for ids that are not UUIDs', async () => {
    const created = await create({ name: 'private', content: 'secret {{x}}' });
    const stranger = await createTenant(platform);
    const path = `${templates()}/${created.body.id}`;
    for (const [method, url, body] of [
      ['GET', templates(), undefined],
      ['POST', templates(), { name: 'hijack', content: 'x' }],
      ['GET', path, undefined],
      ['PATCH', path, { content: 'hijacked' }],
      ['DELETE', path, undefined],
      // Their own project, our template id: still not found.
      ['GET', `${templates(stranger)}/${created.body.id}`, undefined],
      ['PATCH', `${templates(stranger)}/${created.body.id}`, { content: 'hijacked' }],
      ['DELETE', `${templates(stranger)}/${created.body.id}`, undefined],
    ] as const) {
      const res = await platform.request(method, url, { token: stranger.accessToken, body });
      expect([method, url, res.status]).toEqual([method, url, 404]);
    }
    expect((await platform.request('GET', path, { token: tenant.accessToken })).body.content).toBe('secret {{x}}');
    expect((await platform.request('GET', `${templates()}/not-a-uuid`, { token: tenant.accessToken })).status).toBe(404);
    expect((await platform.request('GET', templates())).status).toBe(401);
  });

  it('goes with its project when the project is deleted', async () => {
    const owner = await createTenant(platform);
    const created = await create({ name: 'doomed', content: 'x' }, owner);
    expect((await platform.request('DELETE', `projects/${owner.projectId}`, { token: owner.accessToken })).status).toBe(204);
    const rows = await platform.db.query('SELECT 1 FROM templates WHERE id = $1', [created.body.id]);
    expect(rows.rowCount).toBe(0);
  });

  describe('a send naming a template', () => {
    const send = (body: Record<string, unknown>) =>
      platform.request('POST', 'messages', { token: tenant.apiKey, body: { to: '424242', connector: 'telegram', ...body } });

    it.each([
      ['neither message nor template', {}],
      ['both message and template', { message: 'Hi', template: { name: 'welcome' } }],
    ])('is refused with %s (422 naming message)', async (_case, body) => {
      const res = await send(body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'message', message: 'exactly one of message and template is required' }]);
    });

    it.each([
      ['a variable that is not a string', { name: 'welcome', variables: { name: 42 } }, 'template.variables'],
      ['variables that are not an object', { name: 'welcome', variables: ['Ada'] }, 'template.variables'],
      ['an unknown template field', { name: 'welcome', vars: {} }, 'template.vars'],
      ['no template name', { variables: {} }, 'template.name'],
      ['a template that is not an object', 'welcome', 'template'],
    ])('is refused with %s (422)', async (_case, template, field) => {
      const res = await send({ template });
      expect(res.status).toBe(422);
      expect(fieldsOf(res.body)).toContain(field);
    });

    it('still refuses an empty message text', async () => {
      const res = await send({ message: '' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'message', message: 'must not be empty' }]);
    });
  });
});
