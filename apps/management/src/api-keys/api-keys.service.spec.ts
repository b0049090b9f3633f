import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { ApiKeyEntity } from '@app/database';
import { AppContext, compileApp } from '../../../../test/support/app-context';
import { AuthService } from '../auth/auth.service';
import { ManagementModule } from '../management.module';
import { ProjectsService } from '../projects/projects.service';
import { ApiKeysService } from './api-keys.service';

// Under test: ApiKeysService (create once, verify, revoke, public-key rules) on real PostgreSQL.
jest.setTimeout(30_000);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.code : err),
  );

describe('ApiKeysService', () => {
  let app: AppContext;
  let keys: ApiKeysService;
  let userId: string;
  let projectId: string;

  beforeAll(async () => {
    app = await compileApp(ManagementModule);
    keys = app.get(ApiKeysService);
    userId = (await app.get(AuthService).signup(`keys-${randomUUID()}@example.test`, 'keys-password')).user.id;
    projectId = (await app.get(ProjectsService).create(userId, 'keys')).id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('returns a secret key once, stores only its hash, and verifies it to its project', async () => {
    const created = await keys.create(userId, projectId, { name: 'server', type: 'secret' });
    expect(created.key).toMatch(/^mjs_sk_/);
    const row = await app.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: created.id });
    expect(row.keyHash).not.toContain(created.key);
    expect((await keys.list(userId, projectId)).data.find((k) => k.id === created.id)).not.toHaveProperty('key');
    expect(await keys.verify(created.key)).toMatchObject({ keyId: created.id, projectId, type: 'secret' });
  });

  it('verifies nothing for a malformed key or a well-formed key it never issued', async () => {
    expect(await keys.verify('hello')).toBeNull();
    const created = await keys.create(userId, projectId, { name: 'twin', type: 'secret' });
    expect(await keys.verify(created.key.slice(0, -4) + (created.key.endsWith('AAAA') ? 'BBBB' : 'AAAA'))).toBeNull();
  });

  it('stops verifying a key once it is revoked, and refuses to edit it afterwards', async () => {
    const created = await keys.create(userId, projectId, { name: 'leaked', type: 'public', allowedOrigins: ['https://shop.example'] });
    await expect(keys.revoke(userId, projectId, created.id)).resolves.toEqual({ revoked: true });
    expect(await keys.verify(created.key)).toBeNull();
    expect(await code(keys.update(userId, projectId, created.id, { name: 'again' }))).toBe(ErrorCode.Conflict);
  });

  it('keeps origins and a daily limit for public keys only', async () => {
    const pub = await keys.create(userId, projectId, {
      name: 'browser',
      type: 'public',
      allowedOrigins: ['https://a.example'],
      dailyLimit: 5,
    });
    expect(pub).toMatchObject({ type: 'public', allowedOrigins: ['https://a.example'], dailyLimit: 5 });
    expect(await keys.update(userId, projectId, pub.id, { dailyLimit: 9 })).toMatchObject({ dailyLimit: 9 });
    expect(await code(keys.create(userId, projectId, { name: 'bad', type: 'secret', allowedOrigins: ['https://a.example'] }))).toBe(
      ErrorCode.ValidationFailed,
    );
  });

  it("records a use under the key's own project only, and at most once a minute", async () => {
    const created = await keys.create(userId, projectId, { name: 'busy', type: 'secret' });
    const at = new Date();
    expect(await keys.touch([{ projectId: randomUUID(), keyId: created.id }], at.toISOString())).toEqual({ touched: 0 });
    expect(await keys.touch([{ projectId, keyId: created.id }], at.toISOString())).toEqual({ touched: 1 });
    expect(await keys.touch([{ projectId, keyId: created.id }], new Date(at.getTime() + 1000).toISOString())).toEqual({ touched: 0 });
    expect((await keys.list(userId, projectId)).data.find((k) => k.id === created.id)?.lastUsedAt).toBe(at.toISOString());
  });

  it("does not touch another user's project", async () => {
    const other = (await app.get(AuthService).signup(`other-${randomUUID()}@example.test`, 'other-password')).user.id;
    expect(await code(keys.create(other, projectId, { name: 'intruder', type: 'secret' }))).toBe(ErrorCode.NotFound);
    expect(await code(keys.list(other, projectId))).toBe(ErrorCode.NotFound);
  });
});
