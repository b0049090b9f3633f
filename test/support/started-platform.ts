import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deleteRedisKeys, Exit, freePort, NodeProcess, REPO_ROOT, withDeadline } from '../../libs/devkit/src';
import { createSuiteDatabase, dropDatabase, redisUrl } from './databases';
import { apiRequest, ApiResponse, PlatformApi, RequestOptions, suiteEnv } from './platform';

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_LINES_KEPT = 300;

/**
 * The platform exactly as a user runs it with `npm start`: scripts/start.js (over the built apps), given
 * this suite's own database, Redis prefix, free port and data directory through the environment. Ready
 * when start.js says so over IPC (the moment it prints its banner). Suites about what users run (the
 * SDK, the examples) use it; suites that kill single apps use `Platform`.
 */
export class StartedPlatform implements PlatformApi {
  readonly baseUrl: string;
  /** The last lines start.js and the apps printed, for failure messages. */
  private readonly output: string[] = [];
  private readonly launcher: NodeProcess;

  private constructor(
    readonly database: string,
    readonly redisPrefix: string,
    readonly port: number,
    readonly dataDir: string,
    env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.launcher = new NodeProcess({
      label: 'start',
      file: path.join(REPO_ROOT, 'scripts', 'start.js'),
      env,
      onLine: (line) => {
        this.output.push(line);
        if (this.output.length > OUTPUT_LINES_KEPT) this.output.shift();
      },
    });
  }

  /** Starts scripts/start.js and resolves once it says MessageJS is running. */
  static async start(options: { env?: Record<string, string> } = {}): Promise<StartedPlatform> {
    const database = await createSuiteDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mjs-e2e-start-'));
    const port = await freePort();
    const redisPrefix = `t${randomBytes(5).toString('hex')}`;
    const env: Record<string, string> = {
      ...suiteEnv(database, redisPrefix, port),
      // No JWT_SECRET / MESSAGEJS_ENCRYPTION_KEY: start.js makes development secrets in here, as for a user.
      MESSAGEJS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    const platform = new StartedPlatform(database, redisPrefix, port, dataDir, env);
    try {
      await platform.waitUntilReady();
    } catch (err) {
      await platform.stop();
      throw err;
    }
    return platform;
  }

  request<T = any>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return apiRequest<T>(this.baseUrl, method, url, options);
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }

  /**
   * SIGTERM to start.js, as Ctrl-C would: it stops the apps, then exits (SIGKILL after 30 s: its
   * supervisor then notices the launcher is gone and stops the apps on its own). Then the suite's
   * database, Redis keys and data directory go. Resolves with how start.js exited.
   */
  async stop(): Promise<Exit> {
    const exit = await this.launcher.terminate(STOP_TIMEOUT_MS);
    await dropDatabase(this.database).catch(() => undefined);
    await deleteRedisKeys(redisUrl(), this.redisPrefix).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
    return exit;
  }

  /** Ready as a user sees it: start.js announced it (every app serves), and /readyz answers 200. */
  private async waitUntilReady(): Promise<void> {
    await withDeadline(this.launcher.ready, READY_TIMEOUT_MS, 'scripts/start.js').catch((err: Error) => {
      throw new Error(`${err.message}:\n${this.tail()}`);
    });
    const ready = await this.request('GET', '/readyz');
    if (ready.status !== 200) throw new Error(`start.js said it was ready but /readyz answers ${ready.status} ${ready.text}`);
  }
}
