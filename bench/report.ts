import type { CpuPerMessage, CpuShares } from './cpu';

export interface PipelineResult {
  pipeline: 'messagejs' | 'minimal';
  durationS: number;
  requests: number;
  accepted: number;
  acceptedPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  endToEnd: {
    drained: boolean;
    seconds: number;
    messagesPerSecond: number | null;
    sentInWindow: number;
    failedInWindow: number;
    rowsInWindow: number;
  };
  messagesTableTotals: Record<string, number> | null;
  cpu: { load: CpuShares; drain: CpuShares; msPerMessage: CpuPerMessage | null };
  providerCalls?: number | null;
  sentTotal?: number;
  problemLogLines?: Record<string, number>;
  problemLogSamples?: Record<string, string[]>;
}

export interface ReportSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  workerConcurrency: number;
  drainCapS: number;
  floor: number;
}

export interface Meta {
  cpus: number;
  cpuModel: string;
  postgres: string;
  redis: string;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('   '))
    .join('\n');
}

export function report(results: Record<'messagejs' | 'minimal', PipelineResult>, meta: Meta, settings: ReportSettings) {
  const mjs = results.messagejs;
  const min = results.minimal;
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || !b ? null : a / b);
  const acceptedRatio = ratio(mjs.acceptedPerSecond, min.acceptedPerSecond);
  const e2eRatio = ratio(mjs.endToEnd.messagesPerSecond, min.endToEnd.messagesPerSecond);
  const pass = acceptedRatio !== null && e2eRatio !== null && acceptedRatio >= settings.floor && e2eRatio >= settings.floor;

  const rows = [['pipeline', 'accepted/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'accepted', 'e2e s', 'e2e msgs/s']];
  for (const r of [mjs, min]) {
    rows.push([
      r.pipeline === 'messagejs' ? 'MessageJS' : 'minimal',
      fmt(r.acceptedPerSecond, 1),
      fmt(r.latencyMs.p50),
      fmt(r.latencyMs.p99),
      fmt(r.non2xx),
      fmt(r.errors), // socket errors, timeouts included
      fmt(r.accepted),
      r.endToEnd.drained ? fmt(r.endToEnd.seconds, 2) : `>${fmt(r.endToEnd.seconds, 0)}`,
      r.endToEnd.drained ? fmt(r.endToEnd.messagesPerSecond, 1) : 'NOT DRAINED',
    ]);
  }
  const x = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}×`);
  const lines = [
    '',
    `MessageJS vs minimal pipeline — ${settings.connections} connections, ${settings.durationS} s (+${settings.warmupS} s warm-up), worker concurrency ${settings.workerConcurrency}`,
    `machine: ${meta.cpus} × ${meta.cpuModel}, node ${process.version}, ${meta.postgres}, redis ${meta.redis}`,
    '',
    table(rows),
    '',
    `ratio MessageJS ÷ minimal:  accepted/s ${x(acceptedRatio)}   e2e msgs/s ${x(e2eRatio)}`,
    `floor ${settings.floor}×: ${pass ? 'PASS' : 'FAIL'}`,
    '',
    `CPU, % of one core (${meta.cpus} cores = ${meta.cpus * 100}%), load window | drain window ("others": the rest of the machine — other users, shared PostgreSQL processes):`,
  ];
  for (const r of [mjs, min]) {
    const names = Object.keys(r.cpu.load).filter(
      (n) => !['machineBusyPercent', 'idleProcesses'].includes(n) && !(n === 'steal' && r.cpu.load.steal < 1 && r.cpu.drain.steal < 1),
    );
    const parts = names.map((n) => `${n} ${fmt(r.cpu.load[n])}|${fmt(r.cpu.drain[n])}`);
    lines.push(`  ${r.pipeline === 'messagejs' ? 'MessageJS' : 'minimal  '}  ${parts.join('  ')}`);
    lines.push(`             machine busy ${fmt(r.cpu.load.machineBusyPercent)}%|${fmt(r.cpu.drain.machineBusyPercent)}% of all cores`);
    if (r.cpu.msPerMessage) {
      const m = r.cpu.msPerMessage;
      const own = Object.entries(m.processes).map(([k, v]) => `${k} ${fmt(v, 2)}`);
      const shared = Object.entries(m.services).map(([k, v]) => `${k} ${fmt(v, 2)}`);
      lines.push(
        `             CPU ms per message, load start → drained: ${own.join(', ')}; pipeline total ${fmt(m.pipelineTotal, 2)}; ${shared.join(', ')}`,
      );
    }
  }
  for (const r of [mjs, min]) {
    const e = r.endToEnd;
    const notes: string[] = [];
    if (r.non2xx) notes.push(`status codes ${JSON.stringify(r.statusCodes)}`);
    if (e.failedInWindow) notes.push(`${e.failedInWindow} messages failed`);
    // Requests still in flight when the load stops get no answer yet may land (one per connection at most).
    if (e.rowsInWindow < r.accepted || e.rowsInWindow > r.accepted + settings.connections) {
      notes.push(
        `${e.rowsInWindow} rows written for ${r.accepted} 2xx answers${e.rowsInWindow < r.accepted ? ' — accepted messages are missing' : ''}`,
      );
    }
    if (r.providerCalls !== null && r.providerCalls !== r.sentTotal)
      notes.push(`${r.providerCalls} provider calls for ${r.sentTotal} sent messages (probe and warm-up included)`);
    if (!e.drained) notes.push(`did not drain within ${settings.drainCapS} s: ${e.sentInWindow} of ${r.accepted} sent`);
    if (notes.length) lines.push(`  note ${r.pipeline}: ${notes.join('; ')}`);
  }
  const noisy = [mjs, min].filter((r) => r.cpu.load.others > 25 || r.cpu.drain.others > 25);
  if (noisy.length) {
    lines.push(
      `  warning: other work on this machine used CPU during ${noisy.map((r) => r.pipeline).join(' and ')} ("others" above); the ratio is noisier than usual`,
    );
  }
  return { text: lines.join('\n'), acceptedRatio, e2eRatio, pass };
}
