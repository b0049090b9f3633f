import 'reflect-metadata';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure, serveHealth } from '@app/observability';
import { createRpcApp } from '@app/transport';
import { rebuildAnalytics } from './analytics/rebuild-analytics.command';
import { DispatcherModule } from './dispatcher.module';

async function bootstrap(): Promise<void> {
  const config = configOrExit('dispatcher');
  if (process.argv[2] === 'rebuild-analytics') return rebuildAnalytics(config);
  const app = await createRpcApp(DispatcherModule, 'dispatcher', config);
  applyCommonBootstrap(app);
  await app.listen();
  await serveHealth(app, 'dispatcher');
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('dispatcher'));
