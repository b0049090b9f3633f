import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEMPLATE_ENV = 'MESSAGEJS_TEST_TEMPLATE_DB';

/** The machine's PostgreSQL (DATABASE_URL, default the local trust-auth server). */
export function adminUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A fresh database for one suite, copied from the migrated template. */
export async function createSuiteDatabase(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('the e2e globalSetup did not run');
  const name = `mjs_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
