import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { WebhookEndpointEntity } from '@app/database';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { AuthService } from '../auth/auth.service';
import { ManagementModule } from '../management.module';
import { ProjectsService } from '../projects/projects.service';
import { WebhooksService } from './webhooks.service';

// Under test: WebhooksService (secret shown once and sealed, outbound address rule, rotation) on real PostgreSQL.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('WebhooksService', () => {
  let app: AppContext;
  let strict: AppContext;
  let userId: string;
  let projectId: string;

  async function tenant(context: AppContext): Promise<{ userId: string; projectId: string }> {
    const user = (await context.get(AuthService).signup(`wh-${randomUUID()}@example.test`, 'wh-password')).user.id;
    return { userId: user, projectId: (await context.get(ProjectsService).create(user, 'webhooks')).id };
  }

  beforeAll(async () => {
    app = await compileApp(ManagementModule, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    strict = await compileApp(ManagementModule);
    ({ userId, projectId } = await tenant(app));
  });

  afterAll(async () => {
    await app?.close();
    await strict?.close();
  });

  it('returns the signing secret once and keeps it sealed', async () => {
    const webhooks = app.get(WebhooksService);
    const created = await webhooks.create(userId, projectId, { url: 'http://127.0.0.1:9/hook', events: ['message.sent'] });
    expect(created.secret).toMatch(/^whsec_/);
    const row = await app.dataSource.getRepository(WebhookEndpointEntity).findOneByOrFail({ id: created.id });
    expect(row.secretSealed).not.toContain(created.secret.slice('whsec_'.length));
    expect(await webhooks.get(userId, projectId, created.id)).not.toHaveProperty('secret');
  });

  it('refuses a URL that reaches a private address unless WEBHOOK_ALLOW_PRIVATE is set', async () => {
    const own = await tenant(strict);
    const refused = strict
      .get(WebhooksService)
      .create(own.userId, own.projectId, { url: 'http://127.0.0.1:9/hook', events: ['message.sent'] });
    expect(await code(refused)).toBe(ErrorCode.ValidationFailed);
    expect(await strict.dataSource.getRepository(WebhookEndpointEntity).countBy({ projectId: own.projectId })).toBe(0);
  });

  it('refuses unknown event types and non-http URLs', async () => {
    const webhooks = app.get(WebhooksService);
    expect(await code(webhooks.create(userId, projectId, { url: 'http://127.0.0.1:9/a', events: ['message.exploded'] }))).toBe(
      ErrorCode.ValidationFailed,
    );
    expect(await code(webhooks.create(userId, projectId, { url: 'ftp://127.0.0.1/a', events: ['message.sent'] }))).toBe(
      ErrorCode.ValidationFailed,
    );
  });

  it('rotates the secret, keeping the previous one valid for a while', async () => {
    const webhooks = app.get(WebhooksService);
    const created = await webhooks.create(userId, projectId, { url: 'http://127.0.0.1:9/rotate', events: ['message.sent'] });
    const rotated = await webhooks.rotateSecret(userId, projectId, created.id);
    expect(rotated.secret).not.toBe(created.secret);
    expect(new Date(rotated.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("keeps endpoints within their project: another user's call is not found", async () => {
    const webhooks = app.get(WebhooksService);
    const created = await webhooks.create(userId, projectId, { url: 'http://127.0.0.1:9/mine', events: ['message.sent'] });
    const other = await tenant(app);
    expect(await code(webhooks.get(other.userId, projectId, created.id))).toBe(ErrorCode.NotFound);
    await expect(webhooks.delete(userId, projectId, created.id)).resolves.toEqual({ deleted: true });
    expect(await code(webhooks.get(userId, projectId, created.id))).toBe(ErrorCode.NotFound);
  });
});
