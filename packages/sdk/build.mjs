// Builds dist/: ESM and CommonJS for packages, a minified IIFE for <script>, and the .d.ts files.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const started = Date.now();
rmSync(dist, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  bundle: true,
  // Node 18, and every browser that has fetch and AbortController.
  target: ['es2020'],
  logLevel: 'warning',
};

// tsc runs beside esbuild so the whole build stays about one second.
const types = new Promise((resolve, reject) =>
  execFile(join(root, '../../node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: root }, (err, stdout) =>
    err ? reject(new Error('tsc failed\n' + stdout)) : resolve(),
  ),
);

await Promise.all([
  build({ ...common, format: 'esm', platform: 'neutral', outfile: 'dist/index.mjs' }),
  build({ ...common, format: 'cjs', platform: 'node', outfile: 'dist/index.cjs' }),
  build({
    ...common,
    format: 'iife',
    platform: 'browser',
    globalName: 'messagejs',
    minify: true,
    outfile: 'dist/messagejs.min.js',
  }),
  types,
]);

// Declarations name siblings without an extension; ESM resolution (node16, nodenext) needs `.js`.
// index.d.mts is the same surface, typed as ESM for `import` (index.d.ts stays CommonJS for `require`).
for (const file of readdirSync(dist).filter((f) => f.endsWith('.d.ts'))) {
  const path = join(dist, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/(from '\.\/[\w-]+)'/g, "$1.js'"));
}
writeFileSync(join(dist, 'index.d.mts'), readFileSync(join(dist, 'index.d.ts'), 'utf8'));

const gzip = gzipSync(readFileSync(join(dist, 'messagejs.min.js')), { level: 9 }).length;
console.log(`messagejs built in ${Date.now() - started} ms; dist/messagejs.min.js is ${gzip} B gzipped`);
