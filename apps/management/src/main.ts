import 'reflect-metadata';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure } from '@app/observability';
import { runMigrations } from '@app/database';
import { createRpcApp } from '@app/transport';
import { ManagementModule } from './management.module';

async function bootstrap(): Promise<void> {
  const config = configOrExit('management');
  // Management owns the schema: it applies pending migrations before it answers anything.
  const applied = await runMigrations(config.databaseUrl);
  if (process.argv[2] === 'migrate') {
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database schema is up to date\n');
    return;
  }
  const app = await createRpcApp(ManagementModule, 'management', config);
  applyCommonBootstrap(app);
  await app.listen();
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('management'));
