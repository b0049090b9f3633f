/** CPU accounting for the bench from /proc (Linux; silently empty elsewhere). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';

type Ticks = Map<string, number>;

interface MachineTicks {
  processes: number;
  interrupts: number;
  steal: number;
  idle: number;
  total: number;
}

export interface CpuSnapshot {
  at: number;
  perChild: Record<string, number | undefined>;
  services: Record<string, Ticks>;
  machine?: MachineTicks;
}

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100 */
}

function procTicks(pid: number | string | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

/** Pids of every process with this command name (machine-wide). */
function pidsByCommand(name: string): string[] {
  try {
    return fs.readdirSync('/proc').filter((e) => {
      if (!/^\d+$/.test(e)) return false;
      try {
        return fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim() === name;
      } catch {
        return false; // exited meanwhile
      }
    });
  } catch {
    return [];
  }
}

function ticksOf(pids: Array<number | string>): Ticks {
  const out: Ticks = new Map();
  for (const pid of pids) {
    const ticks = procTicks(pid);
    if (ticks !== undefined) out.set(String(pid), ticks);
  }
  return out;
}

/** Ticks spent between two per-pid maps; a pid that appeared in between counts from zero. */
function ticksBetween(a: Ticks, b: Ticks): number {
  let sum = 0;
  for (const [pid, ticks] of b) sum += ticks - (a.get(pid) ?? 0);
  return sum;
}

/** Machine-wide ticks from /proc/stat: process time (user+nice+system), interrupts, steal, total. */
function machineTicks(): MachineTicks | undefined {
  try {
    const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
    return {
      processes: user + nice + system,
      interrupts: irq + softirq,
      steal: steal || 0,
      idle: idle + iowait,
      total: user + nice + system + idle + iowait + irq + softirq + (steal || 0),
    };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL is counted as the backends serving this run's databases (other users' sessions and the
 * server's shared background processes fall under "others"); Redis is one process for everyone.
 */
export async function cpuSnapshot(
  admin: Client,
  databases: string[],
  processes: Array<{ label: string; pid?: number }>,
): Promise<CpuSnapshot> {
  let backends: number[] = [];
  try {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
      [databases],
    );
    backends = rows.map((r) => r.pid);
  } catch {
    /* no per-database figure then */
  }
  const perChild: Record<string, number | undefined> = {};
  for (const proc of processes) perChild[proc.label] = procTicks(proc.pid);
  perChild.harness = procTicks(process.pid);
  const services = { 'postgres (our DBs)': ticksOf(backends), 'redis-server (all)': ticksOf(pidsByCommand('redis-server')) };
  return { at: performance.now(), perChild, services, machine: machineTicks() };
}

export type CpuShares = Record<string, number> & { idleProcesses?: Record<string, number> };

/**
 * % of one core per process between two snapshots (200 = two cores busy). `others` is what the
 * machine spent beyond this benchmark's processes, PostgreSQL and Redis: other people's work on a
 * shared machine, which makes the run noisy when it is large.
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, names?: string[]): CpuShares {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks: number) => Math.round((ticks / CLK_TCK / seconds) * 1000) / 10;
  const out = {} as CpuShares;
  let ours = 0;
  let idle = 0;
  for (const [name, ticks] of Object.entries(b.perChild)) {
    const before = a.perChild[name];
    if (ticks === undefined || before === undefined) continue;
    ours += ticks - before;
    if (names && !names.includes(name)) {
      idle += ticks - before;
      (out.idleProcesses ??= {})[name] = pct(ticks - before);
    } else {
      out[name] = pct(ticks - before);
    }
  }
  if (names) out['other pipeline (idle)'] = pct(idle);
  for (const [name, pids] of Object.entries(b.services)) {
    const ticks = ticksBetween(a.services[name], pids);
    ours += ticks;
    out[name] = pct(ticks);
  }
  if (a.machine && b.machine && b.machine.total > a.machine.total) {
    const [ma, mb] = [a.machine, b.machine];
    const cores = os.cpus().length;
    const share = (field: keyof MachineTicks) => (mb[field] - ma[field]) / (mb.total - ma.total);
    out.machineBusyPercent = Math.round((1 - share('idle')) * 1000) / 10;
    // Loopback networking is mostly softirq time, charged to no process: shown apart, not as "others".
    out.interrupts = Math.round(share('interrupts') * cores * 1000) / 10;
    out.steal = Math.round(share('steal') * cores * 1000) / 10;
    out.others = Math.max(0, Math.round((share('processes') * cores * 100 - pct(ours)) * 10) / 10);
  }
  return out;
}

export interface CpuPerMessage {
  processes: Record<string, number>;
  pipelineTotal: number;
  services: Record<string, number>;
}

/** CPU milliseconds per message, load start → drained: each pipeline process, their sum, and the shared services. */
export function cpuMsPerMessage(a: CpuSnapshot, b: CpuSnapshot, names: string[], messages: number): CpuPerMessage {
  const perMessage = (ticks: number) => Math.round(((ticks / CLK_TCK) * 1000 * 100) / messages) / 100;
  const processes: Record<string, number> = {};
  let total = 0;
  for (const name of names) {
    const [before, after] = [a.perChild[name], b.perChild[name]];
    if (before === undefined || after === undefined) continue;
    total += after - before;
    processes[name] = perMessage(after - before);
  }
  const services: Record<string, number> = {};
  for (const [name, pids] of Object.entries(b.services)) services[name] = perMessage(ticksBetween(a.services[name], pids));
  return { processes, pipelineTotal: perMessage(total), services };
}
