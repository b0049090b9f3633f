// Sends one message with the SDK, then follows it with get(id) until it reaches a final status.
// Run from the repo root after building the SDK (see README.md beside this file).
import messagejs, { MessageJSError } from '../../packages/sdk/dist/index.mjs';

const env = process.env;
const missing = ['MESSAGEJS_KEY', 'MESSAGEJS_PROJECT', 'MESSAGEJS_TO', 'MESSAGEJS_CONNECTOR'].filter((name) => !env[name]);
if (missing.length) {
  console.error(`set ${missing.join(', ')} (and MESSAGEJS_URL unless the platform is at http://localhost:3000)`);
  process.exit(64);
}

const POLL_MS = 500;
const WAIT_MS = Number(env.MESSAGEJS_WAIT_S || 60) * 1000;
// Telegram and email report nothing after "sent"; the other channels send delivery receipts.
const NO_RECEIPTS = ['telegram', 'smtp'];

messagejs.init(env.MESSAGEJS_KEY, env.MESSAGEJS_PROJECT, { baseUrl: env.MESSAGEJS_URL || 'http://localhost:3000' });

try {
  const accepted = await messagejs.send({
    to: env.MESSAGEJS_TO,
    message: env.MESSAGEJS_MESSAGE || 'Hello from MessageJS',
    connector: env.MESSAGEJS_CONNECTOR,
  });
  console.log(`accepted ${accepted.id} via ${accepted.connector.type} connector ${accepted.connector.id}`);

  const isFinal = (status) =>
    status === 'failed' ||
    status === 'delivered' ||
    status === 'read' ||
    (status === 'sent' && NO_RECEIPTS.includes(accepted.connector.type));
  const deadline = Date.now() + WAIT_MS;
  let status = accepted.status;
  console.log(`status ${status}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const message = await messagejs.get(accepted.id);
    if (message.status !== status) {
      status = message.status;
      console.log(`status ${status}${message.error ? ` (${message.error.code}: ${message.error.message})` : ''}`);
    }
    if (isFinal(status)) break;
    if (Date.now() > deadline) {
      console.error(`still ${status} after ${WAIT_MS / 1000} s; giving up waiting`);
      process.exit(2);
    }
  }
  console.log(`final ${status}`);
  process.exit(status === 'failed' ? 1 : 0);
} catch (err) {
  if (!(err instanceof MessageJSError)) throw err;
  // Everything a support request needs, on one line.
  console.error(`error ${err.status} ${err.type}: ${err.message}${err.requestId ? ` (request ${err.requestId})` : ''}`);
  for (const e of err.errors) console.error(`  ${e.field}: ${e.message}`);
  process.exit(1);
}
