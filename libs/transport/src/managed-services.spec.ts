import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { parse } from 'pg-connection-string';
import { createDataSource } from '@app/database';
import { redisOptionsFromUrl } from '@app/config';

/** Managed Redis and PostgreSQL as the README documents them: TLS, ACL users, sslmode, a pool size per app. */
describe('managed Redis URLs', () => {
  const url = 'rediss://keda:p%40ss%3Aword@redis.example.com:6380/2';

  it('turn rediss:// into TLS, with the ACL user, the decoded password and the database, for the transport and BullMQ', () => {
    expect(redisOptionsFromUrl(url)).toEqual({
      host: 'redis.example.com',
      port: 6380,
      username: 'keda',
      password: 'p@ss:word',
      db: 2,
      tls: {},
    });
  });

  it('read the same way by the plain ioredis clients (caches, metrics, health)', () => {
    const client = new Redis(url, { lazyConnect: true });
    expect([client.options.host, client.options.port, client.options.username, client.options.password, client.options.db]).toEqual([
      'redis.example.com',
      6380,
      'keda',
      'p@ss:word',
      2,
    ]);
    expect(client.options.tls).toBeTruthy();
    client.disconnect();
  });

  it('keep redis:// with a password only in plain text on the default port', () => {
    expect(redisOptionsFromUrl('redis://:secret@cache:6379')).toEqual({ host: 'cache', port: 6379, password: 'secret' });
  });
});

describe('managed PostgreSQL URLs', () => {
  it('verify the server certificate with sslmode=verify-full, against sslrootcert when given', () => {
    expect(parse('postgres://u:p@db.example.com:5432/messagejs?sslmode=verify-full').ssl).toEqual({});
    const dir = mkdtempSync(path.join(tmpdir(), 'mjs-ca-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'PEM');
    const withCa = parse(`postgres://u:p@db.example.com/messagejs?sslmode=verify-full&sslrootcert=${path.join(dir, 'ca.pem')}`);
    expect(withCa.ssl).toEqual({ ca: 'PEM' });
  });

  it('encrypt without checking the certificate only with sslmode=no-verify, and not at all with sslmode=disable', () => {
    expect(parse('postgres://u:p@db/messagejs?sslmode=no-verify').ssl).toEqual({ rejectUnauthorized: false });
    expect(parse('postgres://u:p@db/messagejs?sslmode=disable').ssl).toBe(false);
  });

  it('size each app pool from DATABASE_POOL_SIZE (passed as poolSize)', () => {
    const dataSource = createDataSource('postgres://u:p@db/messagejs?sslmode=verify-full', { poolSize: 4 });
    expect((dataSource.options as { extra: { max: number } }).extra.max).toBe(4);
    expect((dataSource.options as { url: string }).url).toContain('sslmode=verify-full');
  });
});
