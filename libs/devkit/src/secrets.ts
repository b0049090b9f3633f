import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartError } from './start-error';

const SECRET_NAMES = ['JWT_SECRET', 'MESSAGEJS_ENCRYPTION_KEY'] as const;
export type Secrets = Record<(typeof SECRET_NAMES)[number], string>;

function secretProblem(name: string, value: string): string | null {
  if (name === 'JWT_SECRET') return value.length >= 32 ? null : 'JWT_SECRET must be at least 32 characters';
  const ok = /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
  return ok ? null : 'MESSAGEJS_ENCRYPTION_KEY must be 32 bytes, base64';
}

function generateSecret(name: string): string {
  return name === 'JWT_SECRET' ? randomBytes(48).toString('base64url') : randomBytes(32).toString('base64');
}

/** Secrets for a throwaway platform (tests, the bench): fresh each time, never stored. */
export function throwawaySecrets(): Secrets {
  return { JWT_SECRET: generateSecret('JWT_SECRET'), MESSAGEJS_ENCRYPTION_KEY: generateSecret('MESSAGEJS_ENCRYPTION_KEY') };
}

/**
 * JWT_SECRET and MESSAGEJS_ENCRYPTION_KEY from `env`; outside production, the missing ones from
 * <dataDir>/secrets.json, generated there (mode 0600) the first time. `warn` hears which were used.
 */
export function resolveSecrets(env: NodeJS.ProcessEnv, dataDir: string, warn: (message: string) => void): Secrets {
  const result: Partial<Secrets> = {};
  for (const name of SECRET_NAMES) {
    const value = env[name];
    if (!value) continue;
    const problem = secretProblem(name, value);
    if (problem) throw new StartError(problem);
    result[name] = value;
  }
  const missing = SECRET_NAMES.filter((name) => !result[name]);
  if (missing.length === 0) return result as Secrets;
  if (env.NODE_ENV === 'production') {
    throw new StartError(
      `NODE_ENV=production and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: ` +
        'set them in the environment (development secrets are never used in production)',
    );
  }

  const file = path.join(dataDir, 'secrets.json');
  let stored: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new StartError(`${file} is not valid JSON: repair or delete it`);
    }
  }
  let changed = false;
  for (const name of missing) {
    let value = stored[name];
    if (typeof value !== 'string' || value === '') {
      value = stored[name] = generateSecret(name);
      changed = true;
    }
    const problem = secretProblem(name, value as string);
    if (problem) throw new StartError(`${file}: ${problem}`);
    result[name] = value as string;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (changed) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }
  if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
  warn(`using development secrets (${missing.join(', ')}) from ${file}: set them in the environment for anything but development`);
  return result as Secrets;
}
