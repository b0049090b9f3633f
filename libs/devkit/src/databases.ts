import { Client } from 'pg';
import { oneLine, redactUrl } from './text';
import { withDeadline } from './time';

/** `url` with another database name. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined); // a dropped connection surfaces in the query that needs it
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates database `name` on the server of `adminUrl`, empty or as a copy of `template`. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
}

/** Drops database `name`, closing whatever still uses it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Creates database `name` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
}

/** Throws a one-line reason unless PostgreSQL at `url` answers a query within 5 s. */
export async function checkPostgres(url: string): Promise<void> {
  if (!/^postgres(?:ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// URL');
  try {
    await withDeadline(
      withClient(url, (client) => client.query('SELECT 1')),
      5_000,
      'a first query',
    );
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${redactUrl(url)}: ${oneLine(err)}`, { cause: err });
  }
}
