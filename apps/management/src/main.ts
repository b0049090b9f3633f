import 'reflect-metadata';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure, serveHealth } from '@app/observability';
import { runMigrations } from '@app/database';
import { createRpcApp } from '@app/transport';
import { ManagementModule } from './management.module';

async function bootstrap(): Promise<void> {
  // `migrate` needs only DATABASE_URL: the migration Job carries no other secret.
  const config = configOrExit(process.argv[2] === 'migrate' ? 'migrate' : 'management');
  // Management owns the schema: it applies pending migrations before it answers anything.
  const applied = await runMigrations(config.databaseUrl);
  if (process.argv[2] === 'migrate') {
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database schema is up to date\n');
    return;
  }
  const app = await createRpcApp(ManagementModule, 'management', config);
  applyCommonBootstrap(app);
  await app.listen();
  await serveHealth(app, 'management');
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('management'));
