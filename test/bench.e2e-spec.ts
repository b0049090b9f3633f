import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminUrl, redisUrl } from './support/databases';

/**
 * `npm run bench` still runs: both pipelines start, take load and drain, and the report is written.
 * A one-second load and a small analytics seed, so it costs CI about 20 s. It checks that the bench
 * works, never how fast anything is (the figures of a run this short on a shared machine mean nothing).
 * Needs `npm run build` first (npm test does it).
 */
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..');

interface PipelineResult {
  accepted: number;
  non2xx: number;
  errors: number;
  endToEnd: { drained: boolean; sentInWindow: number };
}

describe('npm run bench', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mjs-bench-e2e-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures both pipelines end to end and writes its report', async () => {
    const results = path.join(dir, 'latest.json');
    let output = '';
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/devkit/bench.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: adminUrl(),
        REDIS_URL: redisUrl(),
        BENCH_DURATION: '1',
        BENCH_ANALYTICS_MESSAGES: '10000',
        BENCH_RESULTS: results,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, tail: code === 0 ? '' : output.slice(-3_000) }).toEqual({ code: 0, tail: '' });

    const report = JSON.parse(readFileSync(results, 'utf8')) as {
      results: Record<'messagejs' | 'minimal', PipelineResult>;
      analytics: unknown;
    };
    for (const name of ['messagejs', 'minimal'] as const) {
      const r = report.results[name];
      expect([name, r.non2xx, r.errors, r.endToEnd.drained]).toEqual([name, 0, 0, true]);
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.endToEnd.sentInWindow).toBeGreaterThanOrEqual(r.accepted);
    }
    expect(report.analytics).toBeTruthy();
    expect(output).toContain('ratio MessageJS ÷ minimal');
  });
});
