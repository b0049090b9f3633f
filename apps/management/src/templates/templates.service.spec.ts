import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { AuthService } from '../auth/auth.service';
import { ManagementModule } from '../management.module';
import { ProjectsService } from '../projects/projects.service';
import { TemplatesService } from './templates.service';

// Under test: TemplatesService (placeholders parsed at save, unique names per project) on real PostgreSQL.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('TemplatesService', () => {
  let app: AppContext;
  let templates: TemplatesService;
  let userId: string;
  let projectId: string;

  beforeAll(async () => {
    app = await compileApp(ManagementModule);
    templates = app.get(TemplatesService);
    userId = (await app.get(AuthService).signup(`tpl-${randomUUID()}@example.test`, 'tpl-password')).user.id;
    projectId = (await app.get(ProjectsService).create(userId, 'templates')).id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('stores a template with the variables its placeholders name', async () => {
    const t = await templates.create(userId, projectId, { name: 'welcome', content: 'Hi {{ user.name }}, your code is {{code}}' });
    expect(t).toMatchObject({ name: 'welcome', channel: null, variables: ['user.name', 'code'] });
    expect(await templates.get(userId, projectId, t.id)).toEqual(t);
  });

  it('refuses a second template with the same name in one project, on create and on rename', async () => {
    await templates.create(userId, projectId, { name: 'dup', content: 'one' });
    expect(await code(templates.create(userId, projectId, { name: 'dup', content: 'two' }))).toBe(ErrorCode.Conflict);
    const other = await templates.create(userId, projectId, { name: 'other', content: 'three' });
    expect(await code(templates.update(userId, projectId, other.id, { name: 'dup' }))).toBe(ErrorCode.Conflict);
  });

  it('refuses malformed placeholders and a WhatsApp reference on a non-WhatsApp template', async () => {
    expect(await code(templates.create(userId, projectId, { name: 'open', content: 'Hi {{name' }))).toBe(ErrorCode.ValidationFailed);
    expect(
      await code(
        templates.create(userId, projectId, {
          name: 'wa',
          content: 'x',
          channel: 'telegram',
          whatsapp: { name: 'hello_world', language: 'en_US' },
        }),
      ),
    ).toBe(ErrorCode.ValidationFailed);
  });

  it('re-parses the variables when the content changes', async () => {
    const t = await templates.create(userId, projectId, { name: 'evolving', content: '{{a}}' });
    expect((await templates.update(userId, projectId, t.id, { content: '{{b}} and {{c}}' })).variables).toEqual(['b', 'c']);
  });

  it("keeps templates within their project: another user's call is not found", async () => {
    const t = await templates.create(userId, projectId, { name: 'mine', content: 'private' });
    const other = (await app.get(AuthService).signup(`o-${randomUUID()}@example.test`, 'other-password')).user.id;
    expect(await code(templates.get(other, projectId, t.id))).toBe(ErrorCode.NotFound);
    await expect(templates.delete(userId, projectId, t.id)).resolves.toEqual({ deleted: true });
    expect(await code(templates.get(userId, projectId, t.id))).toBe(ErrorCode.NotFound);
  });
});
