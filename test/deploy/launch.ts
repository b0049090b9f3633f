/**
 * Everything the deployment tests need from the test harness, in one file, so it can move to
 * libs/devkit in one edit: a fresh empty database, a Redis prefix, free ports, and the apps of a
 * manifest started as local processes with exactly the command and environment the manifest gives.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createDatabase } from '@app/devkit';
import { adminUrl, databaseUrl, dropDatabase, redisUrl } from '../support/databases';
import { apiRequest, deleteRedisKeys, eventually, freePort } from '../support/platform';
import { ROOT } from './manifests';

export { apiRequest, eventually, freePort };

/** A database with no schema at all, so the manifest's own migrate step has to create it. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `mjs_deploy_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl(), name);
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

export function freshRedisPrefix(): { prefix: string; url: string; clear: () => Promise<void> } {
  const prefix = `d${randomBytes(5).toString('hex')}`;
  return { prefix, url: redisUrl(), clear: () => deleteRedisKeys(redisUrl(), prefix).then(() => undefined) };
}

export class LaunchedProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  tail(lines = 15): string {
    return `${this.name}:\n${this.output.slice(-lines).join('\n')}`;
  }

  /** SIGTERM, as Compose and Kubernetes stop a container; SIGKILL only if it outlives `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Starts `command` (node dist/apps/…) from the repository root with `env` and nothing else but PATH. */
export function launch(name: string, command: string[], env: Record<string, string>): LaunchedProcess {
  const [node, ...args] = command;
  if (node !== 'node') throw new Error(`${name}: expected a node command, got ${command.join(' ')}`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new LaunchedProcess(name, child);
}

/** Waits until GET <url> answers 200, or the process exits (then fails with its last lines). */
export async function waitUntilReady(processes: LaunchedProcess[], url: string, owner: LaunchedProcess, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void owner.exited.then(() => (exited = true));
  await eventually(
    async () => {
      if (exited) throw new Error(`exited: ${owner.tail()}`);
      const res = await fetch(url).catch(() => null);
      return res?.status === 200;
    },
    timeoutMs,
    250,
  ).catch((err: Error) => {
    throw new Error(`${owner.name} not ready at ${url}: ${err.message}\n${owner.tail()}\n${processes.length} processes`);
  });
}
