import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Exit, NodeProcess } from './app-process';
import { Supervisor } from './supervisor';
import { withDeadline } from './time';

/** Tiny Node scripts standing in for the apps: what they print and when they announce themselves is the test's. */
describe('Supervisor', () => {
  let dir: string;
  const script = (name: string, code: string): string => {
    const file = path.join(dir, `${name}.js`);
    writeFileSync(file, code);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mjs-devkit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a process ready when it announces it over IPC, whatever it prints', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ onLine: (label, line) => lines.push(`${label}: ${line}`) });
    const file = script(
      'announces',
      `console.log('consuming nothing'); process.send({ ready: true, port: 1234 }); setInterval(() => {}, 1000);`,
    );
    const proc = supervisor.start(null, process.env, { label: 'app', file });
    await expect(withDeadline(proc.ready, 10_000, 'ready')).resolves.toEqual({ ready: true, port: 1234 });
    await supervisor.stopAll(5_000);
    expect(lines).toContain('app: consuming nothing');
    expect(proc.running).toBe(false);
  });

  it('rejects readiness when the process exits first, and reports the exit nobody asked for once', async () => {
    const unexpected: Array<[string, Exit]> = [];
    const supervisor = new Supervisor({ onUnexpectedExit: (p: NodeProcess, exit) => unexpected.push([p.label, exit]) });
    const proc = supervisor.start(null, process.env, { label: 'crashes', file: script('crashes', 'process.exit(3);') });
    await expect(proc.ready).rejects.toThrow('crashes exited before it was ready (exit code 3)');
    await proc.closed;
    expect(unexpected).toEqual([['crashes', { code: 3, signal: null }]]);
  });

  it('stops everything with SIGTERM, and SIGKILLs what outlives the grace, without calling it unexpected', async () => {
    const unexpected: string[] = [];
    const forced: string[] = [];
    const supervisor = new Supervisor({ onUnexpectedExit: (p) => unexpected.push(p.label) });
    const stubborn = script('stubborn', `process.on('SIGTERM', () => {}); process.send({ ready: true }); setInterval(() => {}, 1000);`);
    const polite = script('polite', `process.send({ ready: true }); setInterval(() => {}, 1000);`);
    const a = supervisor.start(null, process.env, { label: 'stubborn', file: stubborn });
    const b = supervisor.start(null, process.env, { label: 'polite', file: polite });
    await Promise.all([a.ready, b.ready]);
    await supervisor.stopAll(500, (p) => forced.push(p.label));
    expect(forced).toEqual(['stubborn']);
    expect(await a.closed).toMatchObject({ signal: 'SIGKILL' });
    expect(await b.closed).toMatchObject({ signal: 'SIGTERM' });
    expect(unexpected).toEqual([]);
  });
});
