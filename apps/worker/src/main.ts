import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure } from '@app/observability';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  configOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  applyCommonBootstrap(app);
  await app.init();
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('worker'));
