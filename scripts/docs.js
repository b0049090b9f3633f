#!/usr/bin/env node
// `npm run docs:build` / `docs:start`: the docs site has its own package (docs/package.json and lock),
// installed with `npm ci` the first time and whenever its lock is newer than the install.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const DOCS = path.resolve(__dirname, '..', 'docs');
const command = process.argv[2];
if (!['build', 'start', 'install'].includes(command)) {
  console.error('usage: node scripts/docs.js build|start|install');
  process.exit(64);
}

function run(args) {
  const result = spawnSync('npm', args, { cwd: DOCS, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installed = path.join(DOCS, 'node_modules', '.package-lock.json');
const stale = !existsSync(installed) || statSync(path.join(DOCS, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
if (stale || command === 'install') run(['ci', '--no-audit', '--no-fund']);
if (command !== 'install') run(['run', command]);
