import { ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import Redis from 'ioredis';
import { describeExit } from './app-process';
import { sleep, settlesWithin, withDeadline } from './time';

/** Whether Redis at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
  });
  client.on('error', () => undefined);
  try {
    await withDeadline(
      client.connect().then(() => client.ping()),
      timeoutMs,
      'PING',
    );
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Removes every key under `prefix:` (a run's queues, caches, rate-limit windows); resolves with how many. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * A redis-server child on 127.0.0.1 without persistence: `npm start`'s fallback when no Redis answers,
 * and a Redis of its own for a test that kills and restarts it.
 */
export class RedisServerProcess {
  private child?: ChildProcess;
  private lines: string[] = [];

  constructor(
    readonly port: number,
    private readonly bin = 'redis-server',
    private readonly onLine?: (line: string) => void,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return Boolean(this.child) && this.child!.exitCode === null && this.child!.signalCode === null;
  }

  /** The server process, to watch for an exit nobody asked for. */
  get process(): ChildProcess | undefined {
    return this.child;
  }

  /** Starts it (again, empty) and resolves once it answers PING; throws with its last line if it does not within 10 s. */
  async start(): Promise<void> {
    this.lines = [];
    const child = spawn(this.bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > 50) this.lines.shift();
        this.onLine?.(line);
      });
    }
    let exited: string | undefined;
    child.once('error', (err) => (exited = err.message));
    child.once('exit', (code, signal) => (exited ??= describeExit({ code, signal })));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !exited) {
      if (await redisAnswers(this.url, 500)) return;
      await sleep(100);
    }
    await this.kill();
    const last = this.lines.filter((l) => l.trim()).pop();
    const why = exited ? `it exited (${exited})` : 'it did not answer PING within 10 s';
    throw new Error(`could not start redis-server on port ${this.port}: ${why}${last ? `: ${last.trim()}` : ''}`);
  }

  /** Whether its output says the port was taken (somebody bound it between our probe and its start). */
  portWasTaken(): boolean {
    return this.lines.some((line) => /address already in use/i.test(line));
  }

  /** SIGTERM, SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 10_000);
    await this.kill();
  }

  /** SIGKILL: an outage, everything in it lost. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  private async signal(signal: NodeJS.Signals, waitMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await settlesWithin(exited, waitMs);
  }
}
