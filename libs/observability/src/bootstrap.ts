import { INestApplicationContext, Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@app/config';

/** Reads the config before anything else, so a bad value stops the app with one line and exit 1. */
export function configOrExit(app: string): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (err) {
    const reason = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`${app}: configuration error: ${reason}\n`);
    process.exit(1);
  }
}

/** The shared tail of every main.ts: pino as the Nest logger, graceful shutdown, one-line fatal errors. */
export function applyCommonBootstrap(app: INestApplicationContext): void {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

export function exitOnStartupFailure(app: string) {
  return (err: unknown): never => {
    new NestLogger(app).error(err instanceof Error ? err.message : String(err));
    process.stderr.write(`${app}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  };
}
