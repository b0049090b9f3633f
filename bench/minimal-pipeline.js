'use strict';
/**
 * The benchmark's baseline: the least code that does the same job as MessageJS's hot path, with no
 * framework — raw node:http, a pg Pool and BullMQ.
 *
 *   POST /messages  (Authorization: Bearer <key>, JSON {to, message})
 *     → checks the key against an in-memory value, ONE INSERT, ONE queue.add, 202 {id, status:'queued'}
 *   BullMQ worker (concurrency WORKER_CONCURRENCY, default 50)
 *     → POST {PROVIDER_URL}/bot<token>/sendMessage, then ONE UPDATE … SET status = 'sent'
 *
 * Env: DATABASE_URL, REDIS_URL, REDIS_PREFIX, API_KEY, PROVIDER_URL, BOT_TOKEN, PORT (0 = any),
 * WORKER_CONCURRENCY, PG_POOL_MAX (default 10, pg's default, as MessageJS's TypeORM pool),
 * ROLE = all (default: HTTP and worker in one process) | api | worker (to run them as two processes).
 * Run by bench/run.ts (through the devkit Supervisor): it reports {ready: true, port} over IPC once it is up.
 */
const http = require('node:http');
const { randomUUID, timingSafeEqual } = require('node:crypto');
const { Pool } = require('pg');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const { readBody } = require('./read-body');

const env = process.env;
const QUEUE = 'send';
const MAX_BODY = 256 * 1024;

function required(name) {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function json(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main() {
  const apiKey = Buffer.from(`Bearer ${required('API_KEY')}`);
  const providerUrl = required('PROVIDER_URL').replace(/(?<!\/)\/+$/, '');
  const botToken = required('BOT_TOKEN');
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  /** Connections handed to BullMQ as instances are ours to close (a worker's blocking duplicate is BullMQ's). */
  const redisClients = [];
  const redisConnection = () => {
    const client = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    redisClients.push(client);
    return client;
  };
  const prefix = `${env.REDIS_PREFIX || 'minimal'}:bull`;
  const concurrency = Number(env.WORKER_CONCURRENCY || 50);
  const role = env.ROLE || 'all';
  if (!['all', 'api', 'worker'].includes(role)) throw new Error('ROLE must be all, api or worker');

  const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(env.PG_POOL_MAX || 10) });
  pool.on('error', () => undefined);
  await pool.query(`CREATE TABLE IF NOT EXISTS messages (
    id uuid PRIMARY KEY,
    "to" text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);

  const queue = role === 'worker' ? undefined : new Queue(QUEUE, { connection: redisConnection(), prefix });
  if (queue) {
    queue.on('error', () => undefined);
    await queue.waitUntilReady();
  }

  async function accept(raw) {
    let input;
    try {
      input = JSON.parse(raw);
    } catch {
      return [400, { error: 'body must be JSON' }];
    }
    if (!input || typeof input.to !== 'string' || input.to === '' || typeof input.message !== 'string' || input.message === '') {
      return [422, { error: 'to and message are required strings' }];
    }
    const id = randomUUID();
    await pool.query('INSERT INTO messages (id, "to", body, status) VALUES ($1, $2, $3, \'queued\')', [id, input.to, input.message]);
    await queue.add(
      'send',
      { id, to: input.to, text: input.message },
      {
        jobId: id,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    return [202, { id, status: 'queued' }];
  }

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/messages') return json(res, 404, { error: 'not found' });
    const auth = Buffer.from(req.headers.authorization || '');
    if (auth.length !== apiKey.length || !timingSafeEqual(auth, apiKey)) {
      req.resume();
      return json(res, 401, { error: 'invalid API key' });
    }
    readBody(req, MAX_BODY, (text) => {
      if (text === null) return json(res, 413, { error: 'body too large' });
      accept(text).then(
        ([status, payload]) => json(res, status, payload),
        () => json(res, 503, { error: 'could not accept the message' }),
      );
    });
  });

  const worker =
    role === 'api'
      ? undefined
      : new Worker(
          QUEUE,
          async (job) => {
            const response = await fetch(`${providerUrl}/bot${botToken}/sendMessage`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ chat_id: job.data.to, text: job.data.text }),
              signal: AbortSignal.timeout(15_000),
            });
            const answer = await response.json().catch(() => null);
            if (!response.ok || !answer || answer.ok !== true) throw new Error(`provider answered ${response.status}`);
            await pool.query("UPDATE messages SET status = 'sent', updated_at = now() WHERE id = $1", [job.data.id]);
          },
          { connection: redisConnection(), prefix, concurrency },
        );
  if (worker) {
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
  }

  let port = null;
  if (role !== 'worker') {
    await new Promise((resolve) => server.listen(Number(env.PORT || 0), '127.0.0.1', resolve));
    port = server.address().port;
  }
  if (process.send) process.send({ ready: true, port });
  else process.stdout.write(port ? `minimal pipeline listening on http://127.0.0.1:${port}\n` : 'minimal worker consuming\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (server.listening) {
      server.close();
      server.closeIdleConnections();
    }
    const forced = setTimeout(() => process.exit(0), 5_000);
    await Promise.allSettled([worker && worker.close(), queue && queue.close()]);
    await Promise.allSettled(redisClients.map((c) => c.quit()));
    await pool.end().catch(() => undefined);
    clearTimeout(forced);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  if (process.send) process.on('disconnect', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`minimal pipeline: failed to start: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
