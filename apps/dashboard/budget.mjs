/**
 * The dashboard's first-screen budget: the JavaScript a browser must fetch before the login page is
 * usable (index.html's entry, its static imports, and the login route's chunk) must stay within
 * 250 KB gzipped. Reads Vite's manifest in dist/dashboard/.vite/. Run by `npm run size:dashboard`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const dist = path.resolve(import.meta.dirname, '../../dist/dashboard');

/** @type {Record<string, {file: string, isEntry?: boolean, imports?: string[]}>} */
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
/** @type {Set<string>} */
const needed = new Set();
/** @param {string} key */
const visit = (key) => {
  if (needed.has(key)) return;
  needed.add(key);
  for (const next of manifest[key]?.imports ?? []) visit(next);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
visit('src/screens/auth.tsx');

let total = 0;
for (const key of needed) {
  const file = manifest[key]?.file;
  if (!file?.endsWith('.js')) continue;
  const size = gzipSync(readFileSync(path.join(dist, file))).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  first screen, gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
if (total > BUDGET_BYTES) {
  console.error('The dashboard first screen is over its JavaScript budget: split a route or drop a dependency.');
  process.exit(1);
}
