import { randomBytes } from 'node:crypto';
import { ConsoleLogger, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, parseConfig } from '@app/config';
import { SecretBox } from '@app/crypto';
import { ConnectorEntity, ProjectEntity, UserEntity } from '@app/database';
import { ConnectorType } from '@app/contracts';
import { createSuiteDatabase, databaseUrl, dropDatabase, redisUrl } from './databases';

/**
 * One app's real Nest module, compiled (not started: no listeners, no periodic tasks) against its own
 * fresh database and Redis prefix, so a spec can call the app's services the way its controllers do.
 * The unit project's globalSetup migrates the template database this copies.
 */
export interface AppContext {
  module: TestingModule;
  config: AppConfig;
  dataSource: DataSource;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

export async function suiteConfig(env: Record<string, string> = {}): Promise<{ config: AppConfig; database: string }> {
  const database = await createSuiteDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(database),
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: `u${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'error',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MESSAGEJS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Provider fakes listen on loopback (the outbound guard would refuse them).
    CONNECTOR_ALLOW_PRIVATE: 'true',
    ...env,
  });
  return { config, database };
}

export async function compileApp(appModule: Type<unknown>, env: Record<string, string> = {}): Promise<AppContext> {
  const { config, database } = await suiteConfig(env);
  return compileWith(appModule, config, () => dropDatabase(database));
}

/** Compiles a second app against the same database and Redis prefix (e.g. a worker beside its dispatcher). */
export async function compileWith(appModule: Type<unknown>, config: AppConfig, afterClose = async () => {}): Promise<AppContext> {
  const module = await Test.createTestingModule({ imports: [appModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  return {
    module,
    config,
    dataSource: module.get(DataSource),
    get: <T>(type: Type<T>) => module.get(type),
    close: async () => {
      await module.close();
      await afterClose();
    },
  };
}

export interface SeededTenant {
  userId: string;
  projectId: string;
  connectorId: string;
}

/** A user, a project and one connector, written through the entities (credentials sealed with the app's key). */
export async function seedTenant(
  context: AppContext,
  connector: { type: ConnectorType; credentials: Record<string, unknown>; config?: Record<string, unknown> },
): Promise<SeededTenant> {
  const { dataSource } = context;
  const user = await dataSource
    .getRepository(UserEntity)
    .save({ email: `u-${randomBytes(6).toString('hex')}@example.test`, passwordHash: 'not-a-hash' });
  const project = await dataSource.getRepository(ProjectEntity).save({ ownerId: user.id, name: 'unit', rateLimitPerSecond: null });
  const box = context.get(SecretBox);
  const sealed = box.seal(JSON.stringify(connector.credentials));
  const row = await dataSource.getRepository(ConnectorEntity).save({
    projectId: project.id,
    type: connector.type,
    name: `${connector.type}-unit`,
    config: connector.config ?? {},
    credentialsSealed: sealed,
    keyVersion: context.config.encryption.currentVersion,
  });
  return { userId: user.id, projectId: project.id, connectorId: row.id };
}
