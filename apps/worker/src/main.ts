import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { applyCommonBootstrap, configOrExit, exitOnStartupFailure } from '@app/observability';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  configOrExit('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  applyCommonBootstrap(app);
  await app.init();
}

bootstrap().catch(exitOnStartupFailure('worker'));
