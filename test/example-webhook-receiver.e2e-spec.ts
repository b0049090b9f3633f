import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually, freePort } from './support/platform';
import { StartedPlatform } from './support/started-platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..');
const EVENTS = ['message.queued', 'message.sent', 'message.delivered', 'message.read', 'message.failed'];

/** examples/webhook-receiver as its README runs it; resolves once it listens. */
async function startReceiver(port: number, secret: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'examples/webhook-receiver/server.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`webhook receiver at http://localhost:${port}/webhooks`)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the receiver exited (${code}):\n${output}`)));
  });
  return { child, output: () => output };
}

/**
 * The example receiver registered as a real endpoint of the platform started as `npm start` does:
 * statuses arrive signed and are kept, forgeries and replays are refused.
 */
describe('examples/webhook-receiver', () => {
  let platform: StartedPlatform;
  let telegram: TelegramFake;
  let tenant: Tenant;
  let receiver: { child: ChildProcess; output: () => string };
  let receiverUrl: string;
  let secret: string;

  beforeAll(async () => {
    telegram = await TelegramFake.start();
    platform = await StartedPlatform.start({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', CONNECTOR_ALLOW_PRIVATE: 'true' } });
    tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    const port = await freePort();
    receiverUrl = `http://127.0.0.1:${port}`;
    const endpoint = await platform.request('POST', `projects/${tenant.projectId}/webhooks`, {
      token: tenant.accessToken,
      body: { url: `${receiverUrl}/webhooks`, events: EVENTS },
    });
    expect(endpoint.status).toBe(201);
    secret = endpoint.body.secret;
    receiver = await startReceiver(port, secret);
  });

  afterAll(async () => {
    if (receiver && receiver.child.exitCode === null) {
      const exited = new Promise((resolve) => receiver.child.once('exit', resolve));
      receiver.child.kill('SIGTERM');
      await exited;
    }
    await platform?.stop();
    await telegram?.close();
  });

  const statusAtReceiver = async (id: string) => {
    const res = await fetch(`${receiverUrl}/messages/${id}`);
    return res.ok ? ((await res.json()) as { status: string; error: { code: string } | null }) : null;
  };
  const send = async (to: string) => {
    const res = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to, message: 'Webhook test', connector: 'telegram' },
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  it('receives a sent message’s events, verified, and keeps its latest status', async () => {
    const id = await send('5151');

    const kept = await eventually(async () => ((await statusAtReceiver(id))?.status === 'sent' ? statusAtReceiver(id) : null));

    expect(kept).toMatchObject({ status: 'sent', error: null });
    expect(receiver.output()).toContain(`${id} sent`);
  });

  it('keeps a failed message as failed, with the provider’s code', async () => {
    telegram.blockChat('6161');
    const id = await send('6161');

    const kept = await eventually(async () => ((await statusAtReceiver(id))?.status === 'failed' ? statusAtReceiver(id) : null));

    expect(kept).toMatchObject({ status: 'failed', error: { code: '403' } });
  });

  it('refuses a delivery signed with another secret, and changes nothing', async () => {
    const id = await send('7171');
    await eventually(async () => (await statusAtReceiver(id))?.status === 'sent');
    const forger = new Webhook(`whsec_${Buffer.from('not the endpoint secret, 32 bytes').toString('base64')}`);
    const body = JSON.stringify({ type: 'message.failed', timestamp: new Date().toISOString(), data: { id, status: 'failed' } });

    const res = await post(forger, 'msg_forged', new Date(), body);

    expect(res.status).toBe(401);
    expect((await statusAtReceiver(id))?.status).toBe('sent');
  });

  it('refuses a correctly signed delivery whose timestamp is ten minutes old (a replay)', async () => {
    const id = await send('8181');
    await eventually(async () => (await statusAtReceiver(id))?.status === 'sent');
    const body = JSON.stringify({ type: 'message.read', timestamp: new Date().toISOString(), data: { id, status: 'read' } });

    const stale = await post(new Webhook(secret), 'msg_replayed', new Date(Date.now() - 10 * 60_000), body);
    const fresh = await post(new Webhook(secret), 'msg_fresh', new Date(), body);

    expect(stale.status).toBe(401);
    // The same body signed now is accepted: it was the timestamp that was refused.
    expect(fresh.status).toBe(204);
    expect((await statusAtReceiver(id))?.status).toBe('read');
  });

  async function post(signer: Webhook, id: string, at: Date, body: string): Promise<Response> {
    return fetch(`${receiverUrl}/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signer.sign(id, at, body),
      },
      body,
    });
  }
});
