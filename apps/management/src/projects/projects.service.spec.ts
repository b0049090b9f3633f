import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { AuthService } from '../auth/auth.service';
import { ManagementModule } from '../management.module';
import { ProjectsService } from './projects.service';

// Under test: ProjectsService, the tenant gate every project-scoped management call goes through.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('ProjectsService', () => {
  let app: AppContext;
  let projects: ProjectsService;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    app = await compileApp(ManagementModule);
    projects = app.get(ProjectsService);
    const auth = app.get(AuthService);
    alice = (await auth.signup(`alice-${randomUUID()}@example.test`, 'alice-password')).user.id;
    bob = (await auth.signup(`bob-${randomUUID()}@example.test`, 'bob-password')).user.id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates a project with no rate limit of its own and lists the newest first', async () => {
    const first = await projects.create(alice, 'first');
    const second = await projects.create(alice, 'second');
    expect(first).toMatchObject({ name: 'first', rateLimitPerSecond: null });
    const { data } = await projects.list(alice);
    expect(data.map((p) => p.id).slice(0, 2)).toEqual([second.id, first.id]);
  });

  it("answers another user's project as not found, for every operation", async () => {
    const own = await projects.create(alice, 'private');
    expect(await code(projects.get(bob, own.id))).toBe(ErrorCode.NotFound);
    expect(await code(projects.update(bob, own.id, { name: 'taken' }))).toBe(ErrorCode.NotFound);
    expect(await code(projects.delete(bob, own.id))).toBe(ErrorCode.NotFound);
    expect((await projects.list(bob)).data.map((p) => p.id)).not.toContain(own.id);
    expect((await projects.get(alice, own.id)).name).toBe('private');
  });

  it('updates the name and the rate limit, and clears the limit with null', async () => {
    const p = await projects.create(alice, 'tunable');
    expect(await projects.update(alice, p.id, { name: 'tuned', rateLimitPerSecond: 7 })).toMatchObject({
      name: 'tuned',
      rateLimitPerSecond: 7,
    });
    expect(await projects.update(alice, p.id, { rateLimitPerSecond: null })).toMatchObject({ name: 'tuned', rateLimitPerSecond: null });
  });

  it('deletes a project, after which it is not found', async () => {
    const p = await projects.create(alice, 'short-lived');
    await expect(projects.delete(alice, p.id)).resolves.toEqual({ deleted: true });
    expect(await code(projects.get(alice, p.id))).toBe(ErrorCode.NotFound);
  });
});
