import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export type AppName = 'management' | 'dispatcher' | 'worker' | 'webhooks' | 'gateway';
/** Every app, in the order `npm start` starts them (the gateway last: it is the door). */
export const APPS: AppName[] = ['management', 'dispatcher', 'worker', 'webhooks', 'gateway'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started at all. */
  error?: Error;
}

/** What a process says over IPC once it serves (libs/observability announceReady; the bench's stub and minimal pipeline). */
export interface ReadyMessage {
  ready: true;
  port?: number;
}

/** The repository root, found from here whether this runs from source (tests) or from dist/devkit (npm start, bench). */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nest-cli.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no nest-cli.json above ${from}`);
  }
}

export function appMain(app: AppName): string {
  return path.join(REPO_ROOT, 'dist', 'apps', app, 'main.js');
}

export function describeExit(exit: Exit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

export interface NodeProcessOptions {
  /** The name its lines and errors carry. */
  label: string;
  /** The script to run. */
  file: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  execArgv?: string[];
  /** Every line it prints, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * One Node process with an IPC channel: `ready` resolves when it announces that it serves (never by
 * reading its log lines, whose wording is free to change) and rejects if it exits first; `closed`
 * resolves after its last output line was read.
 */
export class NodeProcess {
  readonly label: string;
  readonly proc: ChildProcess;
  readonly ready: Promise<ReadyMessage>;
  readonly closed: Promise<Exit>;
  exit?: Exit;

  constructor(options: NodeProcessOptions) {
    this.label = options.label;
    this.proc = spawn(process.execPath, [...(options.execArgv ?? []), options.file, ...(options.args ?? [])], {
      cwd: REPO_ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const [name, stream] of [
      ['stdout', this.proc.stdout],
      ['stderr', this.proc.stderr],
    ] as const) {
      if (!stream) continue;
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      if (options.onLine) lines.on('line', (line) => options.onLine!(line, name));
    }
    this.closed = new Promise((resolve) => {
      this.proc.once('error', (error) => resolve((this.exit = { code: null, signal: null, error })));
      this.proc.once('close', (code, signal) => resolve((this.exit ??= { code, signal })));
    });
    this.ready = new Promise((resolve, reject) => {
      this.proc.on('message', (message: unknown) => {
        if (message && typeof message === 'object' && (message as ReadyMessage).ready === true) resolve(message as ReadyMessage);
      });
      void this.closed.then((exit) => reject(new Error(`${this.label} exited before it was ready (${describeExit(exit)})`)));
    });
    this.ready.catch(() => undefined); // a caller that never waits for readiness learns of the exit from `closed`
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.pid !== undefined && this.proc.exitCode === null && this.proc.signalCode === null && !this.exit;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.proc.kill(signal);
  }

  /** SIGTERM (the app drains), SIGKILL after `graceMs`; resolves with how it exited. */
  async terminate(graceMs: number): Promise<Exit> {
    if (!this.running) return this.closed;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    try {
      return await this.closed;
    } finally {
      clearTimeout(timer);
    }
  }
}
