import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createSuiteDatabase, dropDatabase, redisUrl } from './databases';
import { apiRequest, ApiResponse, deleteRedisKeys, freePort, PlatformApi, RequestOptions, suiteEnv } from './platform';

const ROOT = path.resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_LINES_KEPT = 300;

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * The platform exactly as a user runs it with `npm start`: scripts/start.js (over the built apps), given
 * this suite's own database, Redis prefix, free port and data directory through the environment. Suites
 * about what users run (the SDK, the examples) use it; suites that kill single apps use `Platform`.
 */
export class StartedPlatform implements PlatformApi {
  readonly baseUrl: string;
  /** The last lines start.js and the apps printed, for failure messages. */
  private readonly output: string[] = [];
  private exit: Exit | null = null;
  /** start.js printed its banner: every app serves. */
  private running = false;
  private readonly exited: Promise<Exit>;

  private constructor(
    readonly database: string,
    readonly redisPrefix: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly launcher: ChildProcess,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    for (const stream of [launcher.stdout!, launcher.stderr!]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (line === 'MessageJS is running') this.running = true;
        this.output.push(line);
        if (this.output.length > OUTPUT_LINES_KEPT) this.output.shift();
      });
    }
    this.exited = new Promise((resolve) =>
      launcher.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
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
    const launcher = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const platform = new StartedPlatform(database, redisPrefix, port, dataDir, launcher);
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
   * SIGTERM to start.js, as Ctrl-C would: it stops the apps, then exits. Then the suite's database,
   * Redis keys and data directory go. Resolves with how start.js exited.
   */
  async stop(): Promise<Exit> {
    let exit = this.exit;
    if (!exit) {
      this.launcher.kill('SIGTERM');
      exit = await this.within(this.exited, STOP_TIMEOUT_MS);
      if (!exit) {
        // Its supervisor notices the launcher is gone and stops the apps on its own.
        this.launcher.kill('SIGKILL');
        exit = await this.exited;
      }
    }
    await dropDatabase(this.database).catch(() => undefined);
    await deleteRedisKeys(redisUrl(), this.redisPrefix).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
    return exit;
  }

  /** Ready as a user sees it: the banner (every app serves), and /readyz answering 200. */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!this.running) {
      if (this.exit) {
        throw new Error(`scripts/start.js exited (${this.exit.code ?? this.exit.signal}) before it was ready:\n${this.tail()}`);
      }
      if (Date.now() > deadline) throw new Error(`no "MessageJS is running" within ${READY_TIMEOUT_MS / 1000} s:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ready = await this.request('GET', '/readyz');
    if (ready.status !== 200) throw new Error(`the banner came but /readyz answers ${ready.status} ${ready.text}`);
  }

  private async within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
