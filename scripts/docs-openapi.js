#!/usr/bin/env node
// Writes docs/openapi.json: the document the built gateway serves at /openapi.json, as a default install
// (PUBLIC_URL http://localhost:3000) serves it. `npm run docs:openapi` builds the gateway first;
// test/docs-openapi.e2e-spec.ts fails when this file differs from what a running gateway serves.
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'openapi.json');
const DEADLINE_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function main() {
  const port = await freePort();
  // Throwaway secrets and a Redis prefix of its own: the gateway only has to serve its document.
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    PORT: String(port),
    PUBLIC_URL: 'http://localhost:3000',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `openapi${randomBytes(4).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MESSAGEJS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
  };
  const gateway = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', 'gateway', 'main.js')], { cwd: ROOT, env, stdio: 'inherit' });
  const exited = new Promise((resolve) => gateway.once('exit', resolve));
  try {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      if (gateway.exitCode !== null) throw new Error(`the gateway exited (${gateway.exitCode}); is dist/ built (npm run build)?`);
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`).catch(() => null);
      if (res?.ok) {
        writeFileSync(OUT, `${JSON.stringify(await res.json(), null, 2)}\n`);
        console.log(`wrote ${path.relative(ROOT, OUT)}`);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no /openapi.json within ${DEADLINE_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    gateway.kill('SIGTERM');
    await exited;
  }
}

main().catch((err) => {
  console.error(`docs:openapi: ${err.message}`);
  process.exit(1);
});
