import { AppName, appMain, describeExit, Exit, NodeProcess } from './app-process';
import { settlesWithin } from './time';

export interface SupervisorOptions {
  /** Every line of every process, with the process's label. */
  onLine?: (label: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** A process exited while nobody was stopping it. */
  onUnexpectedExit?: (proc: NodeProcess, exit: Exit) => void;
  /** Node flags for every process (the bench's --cpu-prof). */
  execArgv?: string[];
}

export interface StartOptions {
  /** Defaults to the app's name. */
  label?: string;
  args?: string[];
  /** Another script than dist/apps/<app>/main.js (the bench's minimal pipeline). */
  file?: string;
}

/**
 * Starts and stops the platform's processes for `npm start`, the bench and the e2e harness alike:
 * every app a child with an IPC channel, ready when it says so, stopped apps-first with SIGTERM and a
 * bounded grace, and an exit nobody asked for reported once.
 */
export class Supervisor {
  private readonly procs = new Set<NodeProcess>();
  private readonly expected = new WeakSet<NodeProcess>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions = {}) {}

  get processes(): NodeProcess[] {
    return [...this.procs];
  }

  /** Starts a long-running process; it is tracked until it exits. */
  start(app: AppName | null, env: NodeJS.ProcessEnv, options: StartOptions = {}): NodeProcess {
    const label = options.label ?? app ?? 'process';
    const file = options.file ?? (app ? appMain(app) : undefined);
    if (!file) throw new Error(`${label}: nothing to run`);
    const proc = new NodeProcess({
      label,
      file,
      args: options.args,
      env,
      execArgv: this.options.execArgv,
      onLine: this.options.onLine && ((line, stream) => this.options.onLine!(label, line, stream)),
    });
    this.procs.add(proc);
    void proc.closed.then((exit) => {
      this.procs.delete(proc);
      if (!this.stopping && !this.expected.has(proc)) this.options.onUnexpectedExit?.(proc, exit);
    });
    return proc;
  }

  /** Runs a one-off command of an app (`migrate`, `rebuild-analytics`) to its end. */
  run(app: AppName, args: string[], env: NodeJS.ProcessEnv, label = args.join(' ')): Promise<Exit> {
    const proc = this.start(app, env, { label, args });
    this.expected.add(proc);
    return proc.closed;
  }

  /** Applies the database migrations (the management app's `migrate` command); throws unless they succeed. */
  async migrate(env: NodeJS.ProcessEnv): Promise<void> {
    const exit = await this.run('management', ['migrate'], env, 'migrate');
    if (exit.code !== 0) throw new Error(`the database migrations failed (${describeExit(exit)})`);
  }

  /** Stops one process on purpose: SIGTERM, SIGKILL after `graceMs`. */
  stop(proc: NodeProcess, graceMs: number): Promise<Exit> {
    this.expected.add(proc);
    return proc.terminate(graceMs);
  }

  /** SIGKILL, on purpose (a crash test). */
  async kill(proc: NodeProcess): Promise<Exit> {
    this.expected.add(proc);
    proc.kill('SIGKILL');
    return proc.closed;
  }

  /**
   * Stops everything, all at once: SIGTERM, then SIGKILL for whatever still runs after `graceMs`
   * (`onForce` names each one). From here on no exit counts as unexpected.
   */
  async stopAll(graceMs: number, onForce?: (proc: NodeProcess) => void): Promise<void> {
    this.stopping = true;
    const running = this.processes.filter((p) => p.running);
    for (const proc of running) proc.kill('SIGTERM');
    const allClosed = Promise.all(running.map((p) => p.closed));
    if (await settlesWithin(allClosed, graceMs)) return;
    for (const proc of running) {
      if (!proc.running) continue;
      onForce?.(proc);
      proc.kill('SIGKILL');
    }
    await settlesWithin(allClosed, 5_000);
  }

  /** SIGKILL to everything at once, synchronously: the last resort of a process that is exiting. */
  killAll(): void {
    this.stopping = true;
    for (const proc of this.procs) proc.kill('SIGKILL');
  }
}
