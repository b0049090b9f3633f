import { INestApplicationContext, Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig, ConfigScope } from '@app/config';
import { startTracing, stopTracing } from './tracing';

/**
 * Reads the config before anything else, so a bad value stops the app with one line and exit 1; then
 * installs the tracer, before Nest boots, so the first request or job already runs under it.
 */
export function configOrExit(app: ConfigScope): ReturnType<typeof loadConfig> {
  try {
    const config = loadConfig(app);
    startTracing(app, config.otlpEndpoint);
    return config;
  } catch (err) {
    const reason = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`${app}: configuration error: ${reason}\n`);
    process.exit(1);
  }
}

/**
 * The shared tail of every main.ts: pino as the Nest logger, and graceful shutdown — on SIGTERM or
 * SIGINT the app closes (each module stops intake and finishes in-flight work, bounded by
 * SHUTDOWN_TIMEOUT_MS) and the process exits 0. Nest's own hooks would re-raise the signal instead.
 */
export function applyCommonBootstrap(app: INestApplicationContext): void {
  app.useLogger(app.get(Logger));
  const { shutdownTimeoutMs } = loadConfig();
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    new NestLogger('Shutdown').log(`${signal} received: finishing in-flight work`);
    const force = setTimeout(() => process.exit(1), shutdownTimeoutMs + 5_000);
    force.unref();
    app
      .close()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  // A dependency blip (Redis or PostgreSQL dropping a connection) can reject a promise deep inside a
  // library; that must be logged, not take the process down with every in-flight request.
  process.on('unhandledRejection', (reason) => {
    new NestLogger('Process').error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/**
 * Tells a supervising parent that this app now serves: the devkit Supervisor (npm start, the bench, the
 * e2e harness) opens an IPC channel to each app and counts it ready only once it said so (the gateway's
 * /readyz cannot tell whether the apps behind it listen yet). A no-op when nobody opened a channel.
 */
export function announceReady(): void {
  if (!process.send) return;
  process.send({ ready: true });
  // The app lives on its servers and connections; an open channel alone must not keep it running.
  process.channel?.unref();
}

export function exitOnStartupFailure(app: string) {
  return (err: unknown): never => {
    process.stderr.write(`${app}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  };
}
