import { randomBytes } from 'node:crypto';
import * as devkit from '../../libs/devkit/src';

export const TEMPLATE_ENV = 'MESSAGEJS_TEST_TEMPLATE_DB';

/** The machine's PostgreSQL (DATABASE_URL, default the local trust-auth server). */
export function adminUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function databaseUrl(name: string): string {
  return devkit.databaseUrl(adminUrl(), name);
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A fresh database for one suite, copied from the migrated template. */
export async function createSuiteDatabase(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('the e2e globalSetup did not run');
  const name = `mjs_t_${randomBytes(6).toString('hex')}`;
  await devkit.createDatabase(adminUrl(), name, template);
  return name;
}

export function dropDatabase(name: string): Promise<void> {
  return devkit.dropDatabase(adminUrl(), name);
}
