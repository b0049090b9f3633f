import { createDatabase } from '../../libs/devkit/src';
import { runMigrations } from '../../libs/database/src/data-source';
import { adminUrl, databaseUrl, TEMPLATE_ENV } from './databases';

/** Migrate once per run into a template database; each suite then gets a copy of it (CREATE DATABASE … TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  const template = `mjs_tpl_${process.pid}_${Date.now().toString(36)}`;
  await createDatabase(adminUrl(), template);
  await runMigrations(databaseUrl(template));
  process.env[TEMPLATE_ENV] = template;
}
