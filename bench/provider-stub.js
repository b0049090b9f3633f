'use strict';
/**
 * Loopback stand-in for the Telegram Bot API, shared by both pipelines of the benchmark.
 *
 *   POST /bot<token>/sendMessage  {chat_id, text}  → 200 {ok:true, result:{message_id, chat:{id}, date, text}}
 *   GET  /bot<token>/getMe                          → 200 {ok:true, result:{id, is_bot, username}}
 *
 * It answers at once (no artificial latency), so the benchmark measures the pipelines, not the
 * provider. It counts sendMessage calls per bot token; each pipeline uses its own token, so the
 * harness can check that each accepted message caused exactly one provider call.
 *
 * Run by bench/run.ts (through the devkit Supervisor): it reports {ready: true, port} over IPC and answers
 * {type:'stats'} with {type:'stats', sends:{<token>: count}}. Alone: `PORT=8081 node bench/provider-stub.js`.
 */
const http = require('node:http');
const { readBody } = require('./read-body');

const MAX_BODY = 64 * 1024;
const sendsByToken = new Map();
let nextMessageId = 1;

function reply(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function fail(res, status, description) {
  reply(res, status, { ok: false, error_code: status, description });
}

const server = http.createServer((req, res) => {
  const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url || '').split('?')[0]);
  if (!match) return fail(res, 404, 'Not Found');
  const [, token, method] = match;

  readBody(req, MAX_BODY, (text) => {
    if (text === null) return fail(res, 413, 'Request Entity Too Large');
    if (method === 'getMe') {
      return reply(res, 200, { ok: true, result: { id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_stub_bot' } });
    }
    if (method !== 'sendMessage' || req.method !== 'POST') return fail(res, 404, 'Not Found');
    let params;
    try {
      params = JSON.parse(text);
    } catch {
      return fail(res, 400, "Bad Request: can't parse JSON");
    }
    if (!params || params.chat_id === undefined || typeof params.text !== 'string' || params.text === '') {
      return fail(res, 400, 'Bad Request: chat_id and text are required');
    }
    sendsByToken.set(token, (sendsByToken.get(token) || 0) + 1);
    const chatId = /^-?\d+$/.test(String(params.chat_id)) ? Number(params.chat_id) : params.chat_id;
    reply(res, 200, {
      ok: true,
      result: {
        message_id: nextMessageId++,
        from: { id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_stub_bot' },
        chat: { id: chatId, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: params.text,
      },
    });
  });
});
server.keepAliveTimeout = 30_000;

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ ready: true, port });
  else process.stdout.write(`provider stub listening on http://127.0.0.1:${port}\n`);
});

if (process.send) {
  process.on('message', (msg) => {
    if (msg && msg.type === 'stats') process.send({ type: 'stats', sends: Object.fromEntries(sendsByToken) });
  });
  // The harness went away (even by SIGKILL): do not linger.
  process.on('disconnect', () => process.exit(0));
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
