import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure, serveHealth } from '@app/observability';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  configOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  applyCommonBootstrap(app);
  await app.init();
  await serveHealth(app, 'worker');
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('worker'));
