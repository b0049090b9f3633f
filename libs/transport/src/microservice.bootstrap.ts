import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { AppName } from '@app/contracts';
import { AppConfig, redisOptions } from '@app/config';
import { watchConsumer } from '@app/observability';
import { PrefixedRedisServer } from './prefixed-redis';
import { RpcExceptionFilter } from './rpc-exception.filter';
import { assertRpcHandlers } from './rpc-handlers.check';

/** Creates a Redis-transport app and checks, before it listens, that its handlers match the contract. */
export async function createRpcApp(module: unknown, name: AppName, config: AppConfig): Promise<INestMicroservice> {
  const server = new PrefixedRedisServer(config.redisPrefix, redisOptions(config, 'blocking'));
  const app = await NestFactory.createMicroservice(module as never, { strategy: server, bufferLogs: true });
  app.useGlobalFilters(new RpcExceptionFilter());
  await app.init();
  // Handlers are registered on init; the server subscribes to channels when it listens.
  assertRpcHandlers(name, server);
  watchConsumer({ name: `${name} requests`, isRunning: () => server.isListening() });
  return app;
}
