import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure, serveHealth } from '@app/observability';
import { WebhooksModule } from './webhooks.module';

async function bootstrap(): Promise<void> {
  configOrExit('webhooks');
  const app = await NestFactory.createApplicationContext(WebhooksModule, { bufferLogs: true });
  applyCommonBootstrap(app);
  await app.init();
  await serveHealth(app, 'webhooks');
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('webhooks'));
