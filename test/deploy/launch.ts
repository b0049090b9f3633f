/**
 * Everything the deployment tests need from the test harness, in one file, so it can move to
 * libs/devkit in one edit: a fresh empty database, a Redis prefix, free ports, and the apps of a
 * manifest started as local processes with exactly the command and environment the manifest gives.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createDatabase, NodeProcess } from '@app/devkit';
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

/** A manifest's process, run by the devkit's NodeProcess, and every line it printed (for failure messages). */
export interface Launched {
  readonly process: NodeProcess;
  readonly output: string[];
}

/** Starts `command` (node dist/apps/…) from the repository root with `env` and nothing else but PATH. */
export function launch(name: string, command: string[], env: Record<string, string>): Launched {
  const [node, file, ...args] = command;
  if (node !== 'node' || !file) throw new Error(`${name}: expected a node command, got ${command.join(' ')}`);
  const output: string[] = [];
  const process = new NodeProcess({
    label: name,
    file: path.resolve(ROOT, file),
    args,
    env: { PATH: globalThis.process.env.PATH ?? '', ...env },
    onLine: (line) => output.push(line),
  });
  return { process, output };
}

export function tail(launched: Launched, lines = 15): string {
  return `${launched.process.label}:\n${launched.output.slice(-lines).join('\n')}`;
}

/** SIGTERM, as Compose and Kubernetes stop a container; SIGKILL only if it outlives `graceMs`. Resolves with the exit code. */
export async function stop(launched: Launched, graceMs = 30_000): Promise<number | null> {
  return (await launched.process.terminate(graceMs)).code;
}

/** Waits until GET <url> answers 200, or the process exits (then fails with its last lines). */
export async function waitUntilReady(processes: Launched[], url: string, owner: Launched, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void owner.process.closed.then(() => (exited = true));
  await eventually(
    async () => {
      if (exited) throw new Error(`exited: ${tail(owner)}`);
      const res = await fetch(url).catch(() => null);
      return res?.status === 200;
    },
    timeoutMs,
    250,
  ).catch((err: Error) => {
    throw new Error(`${owner.process.label} not ready at ${url}: ${err.message}\n${tail(owner)}\n${processes.length} processes`);
  });
}
