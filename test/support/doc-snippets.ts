import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Languages a ` ```<lang> runnable ` block may be written in, and how each is run. */
const RUNNERS: Record<string, { file: string; command: (file: string) => string }> = {
  bash: { file: 'sh', command: (file) => `source "${file}"` },
  js: { file: 'mjs', command: (file) => `node "${file}"` },
  python: { file: 'py', command: (file) => `python3 "${file}"` },
  go: { file: 'go', command: (file) => `go run "${file}"` },
};

export interface Snippet {
  /** The page, relative to docs/docs. */
  page: string;
  /** 1-based, among the page's runnable blocks. */
  index: number;
  /** The line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The block right after it when titled "Output": what the run must print (`…` stands for anything). */
  expected?: string;
}

interface Fence {
  line: number;
  lang: string;
  meta: string;
  code: string;
}

function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    found.push({ line: start + 1, lang: open[1], meta: open[2].trimStart(), code: body.join('\n') });
  }
  return found;
}

/** The runnable blocks of one docs page, in order, each with the output it must print if the page says. */
export function runnableSnippets(docsDir: string, page: string): Snippet[] {
  const all = fences(readFileSync(path.join(docsDir, page), 'utf8'));
  const snippets: Snippet[] = [];
  all.forEach((fence, i) => {
    if (!/(?:^|\s)runnable(?:\s|$)/.test(fence.meta)) return;
    if (!RUNNERS[fence.lang]) throw new Error(`${page}:${fence.line}: no runner for runnable ${fence.lang} blocks`);
    const next = all[i + 1];
    const expected = next && /title="Output"/.test(next.meta) ? next.code : undefined;
    snippets.push({ page, index: snippets.length + 1, line: fence.line, lang: fence.lang, code: fence.code, expected });
  });
  return snippets;
}

/** `expected` as a pattern: literal text, where `…` matches anything (ids, times) within the output. */
export function outputPattern(expected: string): RegExp {
  const parts = expected
    .trim()
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*?')}$`);
}

export interface SnippetRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one snippet in bash, after the variables every earlier snippet set (a page's blocks share a
 * shell, as for a reader pasting them in order): `set -a` exports them all, so Node and Python
 * blocks read them from the environment too. `state` is the file those variables live in.
 */
export function runSnippet(
  snippet: Snippet,
  workDir: string,
  state: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<SnippetRun> {
  const runner = RUNNERS[snippet.lang];
  const file = path.join(workDir, `${snippet.page.replace(/[^a-z0-9]+/gi, '-')}-${snippet.index}.${runner.file}`);
  writeFileSync(file, `${snippet.code}\n`);
  const script = [
    'set -a',
    `[ -f "${state}" ] && source "${state}"`,
    'set -eo pipefail',
    runner.command(file),
    `export -p > "${state}"`,
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The whole group: a snippet that started a server in the background goes with it.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
