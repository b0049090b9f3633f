/**
 * `npm run docs:openapi`: writes docs/openapi.json, the document the built gateway serves at
 * /openapi.json as a default install (PUBLIC_URL http://localhost:3000) serves it.
 * test/docs-openapi.e2e-spec.ts fails when this file differs from what a running gateway serves.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../app-process';
import { freePort } from '../ports';
import { throwawaySecrets } from '../secrets';
import { Supervisor } from '../supervisor';
import { withDeadline } from '../time';

const OUT = path.join(REPO_ROOT, 'docs', 'openapi.json');

async function main(): Promise<void> {
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
    ...throwawaySecrets(),
    LOG_LEVEL: 'error',
  };
  const supervisor = new Supervisor({ onLine: (label, line) => process.stderr.write(`${label} | ${line}\n`) });
  const gateway = supervisor.start('gateway', env);
  try {
    await withDeadline(gateway.ready, 60_000, 'the gateway start-up (is dist/ built? npm run build)');
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    writeFileSync(OUT, `${JSON.stringify(await res.json(), null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(REPO_ROOT, OUT)}\n`);
  } finally {
    await supervisor.stopAll(10_000);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`docs:openapi: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
