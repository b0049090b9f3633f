import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DomainError, ErrorCode, WEBHOOK_TEST_EVENT } from '@app/contracts';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { DatabaseModule } from '../database.module';
import { UserEntity } from '../entities/user.entity';
import { ApiKeyRepository } from './api-key.repository';
import { ConnectorRepository } from './connector.repository';
import { ProjectRepository } from './project.repository';
import { NAME_TAKEN, TemplateRepository } from './template.repository';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

// Under test: the repositories management writes through, on real PostgreSQL: a row of one project is
// not there for another project's id, and the quota holds when creates race.
jest.setTimeout(30_000);

@Module({
  imports: [ConfigModule, DatabaseModule],
  providers: [ProjectRepository, ApiKeyRepository, TemplateRepository, WebhookEndpointRepository, WebhookDeliveryRepository],
})
class RepositoriesModule {}

describe('management repositories', () => {
  let app: AppContext;
  let projects: ProjectRepository;
  let ownerId: string;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    app = await compileApp(RepositoriesModule);
    projects = app.get(ProjectRepository);
    ownerId = (await app.dataSource.getRepository(UserEntity).save({ email: `r-${randomUUID()}@example.test`, passwordHash: 'x' })).id;
    mine = (await projects.create(ownerId, 'mine', 100)).id;
    theirs = (await projects.create(ownerId, 'theirs', 100)).id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("finds, changes and deletes an API key only under its own project's id", async () => {
    const keys = app.get(ApiKeyRepository);
    const fields = { name: 'k', type: 'secret' as const, keyHash: 'h', allowedOrigins: null, dailyLimit: null };
    const key = await keys.create(mine, { ...fields, prefix: `mjs_sk_${randomUUID().slice(0, 12)}` }, 10);
    expect(await keys.findInProject(theirs, key.id)).toBeNull();
    await keys.updateInProject(theirs, key.id, { name: 'stolen' });
    expect(await keys.markUsed([{ projectId: theirs, keyId: key.id }], new Date(), new Date())).toBe(0);
    expect(await keys.findInProject(mine, key.id)).toMatchObject({ name: 'k', lastUsedAt: null });
  });

  it("finds, changes and deletes a template only under its own project's id", async () => {
    const templates = app.get(TemplateRepository);
    const fields = { name: 't', content: 'hi', channel: null, variables: [], whatsapp: null };
    const created = await templates.create(mine, fields, 10);
    if (created === NAME_TAKEN) throw new Error('name taken');
    expect(await templates.create(mine, fields, 10)).toBe(NAME_TAKEN);
    expect(await templates.findInProject(theirs, created.id)).toBeNull();
    expect(await templates.update(theirs, created.id, { ...fields, content: 'stolen' })).toBeNull();
    await templates.delete(theirs, created.id);
    expect(await templates.findInProject(mine, created.id)).toMatchObject({ content: 'hi' });
  });

  it("finds, changes and deletes a webhook endpoint and its deliveries only under its own project's id", async () => {
    const endpoints = app.get(WebhookEndpointRepository);
    const deliveries = app.get(WebhookDeliveryRepository);
    const endpoint = await endpoints.create(mine, { url: 'https://a.example/hook', events: ['message.sent'], secretSealed: 's' }, 10);
    expect(await endpoints.findInProject(theirs, endpoint.id)).toBeNull();
    expect(await endpoints.update(theirs, endpoint.id, { url: 'https://evil.example' })).toBeNull();
    await endpoints.rotateSecret(theirs, endpoint.id, 'stolen', new Date());
    const delivery = await deliveries.insertPending(
      mine,
      { endpointId: endpoint.id, messageId: null, eventType: WEBHOOK_TEST_EVENT, webhookId: 'msg_1', payload: {} },
      new Date(),
    );
    expect(await deliveries.findInEndpoint(theirs, endpoint.id, delivery.id)).toBeNull();
    expect((await deliveries.page(theirs, endpoint.id, { limit: 10 })).data).toEqual([]);
    await deliveries.delete(theirs, delivery.id);
    await endpoints.delete(theirs, endpoint.id);
    expect(await endpoints.findInProject(mine, endpoint.id)).toMatchObject({ url: 'https://a.example/hook', secretSealed: 's' });
    expect((await deliveries.page(mine, endpoint.id, { limit: 10 })).data.map((d) => d.id)).toEqual([delivery.id]);
  });

  it('creates no more than the quota allows when creates race, refusing the rest as quota_exceeded', async () => {
    const connectors = app.get(ConnectorRepository);
    const project = (await projects.create(ownerId, 'crowded', 100)).id;
    const fields = { type: 'telegram' as const, name: 'c', config: {}, credentialsSealed: 'x', keyVersion: 1 };
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        connectors.create(project, fields, 3).then(
          () => 'created',
          (err: unknown) => (err instanceof DomainError ? err.code : err),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(3);
    expect(outcomes.filter((o) => o === ErrorCode.QuotaExceeded)).toHaveLength(5);
    expect(await connectors.refsOf(project)).toHaveLength(3);
  });
});
