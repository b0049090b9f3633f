// A webhook endpoint for MessageJS: verifies each delivery's Standard Webhooks signature, refuses
// forgeries and stale timestamps, and keeps every message's latest status in memory.
// Run: WEBHOOK_SECRET=whsec_… node examples/webhook-receiver/server.mjs (PORT, default 4000).
import { createServer } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const MAX_BODY_BYTES = 256 * 1024;
// Status only moves forward; `failed` can follow any status before `delivered`.
const RANK = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5 };
const SEEN_IDS_KEPT = 10_000;

const secret = process.env.WEBHOOK_SECRET;
if (!secret?.startsWith('whsec_')) {
  console.error('set WEBHOOK_SECRET to the secret MessageJS returned when you created the endpoint (whsec_…)');
  process.exit(64);
}
const webhook = new Webhook(secret);

/** message id → { status, updatedAt, error } */
const messages = new Map();
/** webhook-id of deliveries already applied: a retried delivery is acknowledged, not applied twice. */
const seen = new Set();

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function apply(event) {
  const message = event.data;
  if (!message?.id || !(message.status in RANK)) return;
  const known = messages.get(message.id);
  // Deliveries may arrive out of order (a retry after a newer event): keep the furthest status.
  if (known && RANK[known.status] >= RANK[message.status]) return;
  messages.set(message.id, { id: message.id, status: message.status, updatedAt: message.updatedAt, error: message.error ?? null });
  console.log(`${message.id} ${message.status}`);
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/webhooks') {
    let body;
    try {
      body = await readBody(req);
    } catch {
      return send(res, 413, { error: 'body too large' });
    }
    let event;
    try {
      // Checks the signature over the raw body and that webhook-timestamp is within five minutes.
      event = webhook.verify(body, req.headers);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      return send(res, 401, { error: `refused: ${err.message}` });
    }
    const id = req.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      if (seen.size > SEEN_IDS_KEPT) seen.delete(seen.values().next().value);
      apply(event);
    }
    return send(res, 204);
  }
  if (req.method === 'GET' && url.pathname === '/messages') return send(res, 200, { data: [...messages.values()] });
  const one = /^\/messages\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && one) {
    const message = messages.get(decodeURIComponent(one[1]));
    return message ? send(res, 200, message) : send(res, 404, { error: 'no event for this message yet' });
  }
  send(res, 404, { error: 'not found' });
});

server.listen(Number(process.env.PORT ?? 4000), () => {
  console.log(`webhook receiver at http://localhost:${server.address().port}/webhooks`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
