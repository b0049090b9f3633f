import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { ConnectorEntity } from '@app/database';
import { TelegramFake } from '../../../../test/fakes/telegram.fake';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { AuthService } from '../auth/auth.service';
import { ManagementModule } from '../management.module';
import { ProjectsService } from '../projects/projects.service';
import { ConnectorsService } from './connectors.service';

// Under test: ConnectorsService (sealed credentials, validation, verify against the provider) on real
// PostgreSQL; the provider is the Telegram Bot API fake.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('ConnectorsService', () => {
  let app: AppContext;
  let telegram: TelegramFake;
  let connectors: ConnectorsService;
  let userId: string;
  let projectId: string;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    app = await compileApp(ManagementModule, { CONNECTOR_ALLOW_PRIVATE: 'true' });
    connectors = app.get(ConnectorsService);
    userId = (await app.get(AuthService).signup(`conn-${randomUUID()}@example.test`, 'conn-password')).user.id;
    projectId = (await app.get(ProjectsService).create(userId, 'connectors')).id;
  });

  afterAll(async () => {
    await app?.close();
    await telegram?.close();
  });

  const telegramInput = (botToken: string) => ({
    type: 'telegram' as const,
    name: 'bot',
    credentials: { botToken },
    config: { baseUrl: telegram.baseUrl },
  });

  it('stores credentials sealed and never returns them', async () => {
    const token = telegram.addToken();
    const view = await connectors.create(userId, projectId, telegramInput(token));
    expect(JSON.stringify(view)).not.toContain(token);
    const row = await app.dataSource.getRepository(ConnectorEntity).findOneByOrFail({ id: view.id });
    expect(row.credentialsSealed).not.toContain(token);
    expect(JSON.parse(app.get(SecretBox).open(row.credentialsSealed))).toEqual({ botToken: token });
    expect(JSON.stringify(await connectors.get(userId, projectId, view.id))).not.toContain(token);
  });

  it('refuses credentials that do not fit the connector type, naming the field', async () => {
    const err = await connectors
      .create(userId, projectId, { type: 'telegram', name: 'bad', credentials: { botToken: 'nope' } })
      .catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((err as DomainError).errors?.[0].field).toMatch(/^credentials/);
  });

  it('verifies credentials with the provider, and answers a refusal as provider_rejected', async () => {
    const good = await connectors.create(userId, projectId, telegramInput(telegram.addToken()));
    await expect(connectors.verify(userId, projectId, good.id)).resolves.toMatchObject({ ok: true });
    // A well-formed token the provider does not know.
    const unknown = await connectors.create(userId, projectId, telegramInput('123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'));
    expect(await code(connectors.verify(userId, projectId, unknown.id))).toBe(ErrorCode.ProviderRejected);
  });

  it('replaces credentials on update, keeping them sealed', async () => {
    const view = await connectors.create(userId, projectId, telegramInput(telegram.addToken()));
    const next = telegram.addToken();
    await connectors.update(userId, projectId, view.id, { credentials: { botToken: next } });
    const row = await app.dataSource.getRepository(ConnectorEntity).findOneByOrFail({ id: view.id });
    expect(JSON.parse(app.get(SecretBox).open(row.credentialsSealed))).toEqual({ botToken: next });
  });

  it("keeps connectors within their project: another user's call is not found", async () => {
    const view = await connectors.create(userId, projectId, telegramInput(telegram.addToken()));
    const other = (await app.get(AuthService).signup(`x-${randomUUID()}@example.test`, 'other-password')).user.id;
    expect(await code(connectors.get(other, projectId, view.id))).toBe(ErrorCode.NotFound);
    expect(await code(connectors.delete(other, projectId, view.id))).toBe(ErrorCode.NotFound);
    await expect(connectors.delete(userId, projectId, view.id)).resolves.toEqual({ deleted: true });
    expect(await code(connectors.get(userId, projectId, view.id))).toBe(ErrorCode.NotFound);
  });
});
