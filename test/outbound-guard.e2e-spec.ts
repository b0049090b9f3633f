import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer, Socket } from 'node:net';
import { SecretBox } from '../libs/crypto/src/secret-box';
import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { createTenant, Tenant } from './support/tenant';

jest.setTimeout(60_000);

const OUTBOUND_REFUSED = 'https://messagejs.dev/problems/outbound-address-refused';
const INTERNAL_BODY = 'internal-secret-body-7f3a';
const BANNER = '220 internal-mail.corp ESMTP secret-banner-91c2';

/** A name /etc/hosts maps to loopback besides `localhost` (e.g. the machine's own name), if there is one. */
function loopbackAlias(): string | undefined {
  const hosts = readFileSync('/etc/hosts', 'utf8');
  for (const line of hosts.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address?.startsWith('127.')) continue;
    const alias = names.find((name) => name && !name.startsWith('localhost'));
    if (alias) return alias;
  }
  return undefined;
}

async function listen<S extends Server | TcpServer>(server: S, port = 0): Promise<S & { port: number }> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/**
 * Issue 9's SSRF probes against the running platform with the guard on (CONNECTOR_ALLOW_PRIVATE=false):
 * a tenant's connector cannot make MessageJS call loopback services, at save or at connect time,
 * through a name that resolves there, or through a redirect, and learns nothing of what answers there.
 */
describe('outbound guard for connectors', () => {
  let platform: Platform;
  let tenant: Tenant;
  let internal: Server & { port: number };
  let redirector: Server & { port: number };
  let smtpInternal: TcpServer & { port: number };
  let bannerHost: TcpServer & { port: number };
  let telegram: TelegramFake;
  const internalHits: string[] = [];
  const redirectorHits: string[] = [];
  const tcpConnections = { smtpInternal: 0, bannerHost: 0 };

  beforeAll(async () => {
    internal = await listen(
      createHttpServer((req: IncomingMessage, res) => {
        internalHits.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(INTERNAL_BODY);
      }),
    );
    redirector = await listen(
      createHttpServer((req, res) => {
        redirectorHits.push(`${req.method} ${req.url}`);
        res.writeHead(302, { location: `http://127.0.0.1:${internal.port}/internal${req.url}` }).end(INTERNAL_BODY);
      }),
    );
    const banner = (count: keyof typeof tcpConnections) => (socket: Socket) => {
      tcpConnections[count]++;
      socket.on('error', () => undefined);
      socket.write(count === 'smtpInternal' ? `${BANNER}\r\n` : `SSH-2.0-${INTERNAL_BODY}\r\n`);
    };
    smtpInternal = await listen(createTcpServer(banner('smtpInternal')));
    bannerHost = await listen(createTcpServer(banner('bannerHost')));
    telegram = await TelegramFake.start();
    platform = await Platform.start({
      env: {
        CONNECTOR_ALLOW_PRIVATE: 'false',
        // Named hosts skip the address check: a "self-hosted Bot API" that redirects, and a non-SMTP service.
        CONNECTOR_ALLOWED_HOSTS: `127.0.0.1:${redirector.port},127.0.0.1:${bannerHost.port}`,
      },
    });
    tenant = await createTenant(platform);
  });

  afterAll(async () => {
    await platform?.stop();
    internal?.closeAllConnections();
    redirector?.closeAllConnections();
    await Promise.all([internal, redirector, smtpInternal, bannerHost].map((s) => s && new Promise((resolve) => s.close(resolve))));
    await telegram?.close();
  });

  const createConnector = (body: Record<string, unknown>) =>
    platform.request('POST', `projects/${tenant.projectId}/connectors`, { token: tenant.accessToken, body: { name: 'probe', ...body } });
  const verify = (id: string) =>
    platform.request('POST', `projects/${tenant.projectId}/connectors/${id}/verify`, { token: tenant.accessToken });
  const botToken = () => telegram.addToken();

  /** Points a saved connector inside, directly in the database: as if it had been stored before the guard existed. */
  async function pointInside(
    id: string,
    change: { config?: Record<string, unknown>; credentials?: Record<string, unknown> },
  ): Promise<void> {
    if (change.config) await platform.db.query('UPDATE connectors SET config = $2 WHERE id = $1', [id, change.config]);
    if (change.credentials) {
      const box = new SecretBox(new Map([[1, Buffer.from(platform.env.MESSAGEJS_ENCRYPTION_KEY, 'base64')]]), 1);
      await platform.db.query('UPDATE connectors SET credentials_sealed = $2 WHERE id = $1', [
        id,
        box.seal(JSON.stringify(change.credentials)),
      ]);
    }
  }

  it('refuses a loopback baseUrl at save (422 outbound-address-refused) and never calls it', async () => {
    const res = await createConnector({
      type: 'telegram',
      credentials: { botToken: botToken() },
      config: { baseUrl: `http://127.0.0.1:${internal.port}/internal#` },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe(OUTBOUND_REFUSED);
    expect(res.body.detail).toMatch(/config\.baseUrl must reach a public address: 127\.0\.0\.1 is a loopback address/);
    expect(internalHits).toEqual([]);
  });

  it.each([['localhost'], [loopbackAlias() ?? 'localhost']])('refuses %s, a name that resolves to loopback', async (name) => {
    const res = await createConnector({
      type: 'telegram',
      credentials: { botToken: botToken() },
      config: { baseUrl: `http://${name}:${internal.port}/internal` },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe(OUTBOUND_REFUSED);
    expect(res.body.detail).toContain(`${name} resolves to`);
    expect(internalHits).toEqual([]);
  });

  it('refuses the same on PATCH', async () => {
    const created = await createConnector({
      type: 'telegram',
      credentials: { botToken: botToken() },
      config: { baseUrl: 'http://93.184.215.14' },
    });
    expect(created.status).toBe(201);
    const res = await platform.request('PATCH', `projects/${tenant.projectId}/connectors/${created.body.id}`, {
      token: tenant.accessToken,
      body: { config: { baseUrl: `http://[::ffff:127.0.0.1]:${internal.port}/` } },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe(OUTBOUND_REFUSED);
  });

  it('refuses a stored loopback baseUrl again at verify and at send, without calling it', async () => {
    const created = await createConnector({
      type: 'telegram',
      credentials: { botToken: botToken() },
      config: { baseUrl: 'http://93.184.215.14' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await pointInside(id, { config: { baseUrl: `http://127.0.0.1:${internal.port}/internal#` } });
    const verified = await verify(id);
    expect(verified.status).toBe(422);
    expect(verified.body.type).toBe(OUTBOUND_REFUSED);
    expect(verified.text).not.toContain(INTERNAL_BODY);

    const sent = await platform.request('POST', 'messages', { token: tenant.apiKey, body: { to: '42', message: 'hi', connector: id } });
    expect(sent.status).toBe(202);
    const message = await eventually(async () => {
      const res = await platform.request('GET', `messages/${sent.body.id}`, { token: tenant.apiKey });
      return res.body.status === 'failed' ? res.body : undefined;
    });
    expect(message.error.code).toBe('outbound_address_refused');
    expect(message.attempts).toBe(1);
    expect(JSON.stringify(message)).not.toContain(INTERNAL_BODY);
    expect(internalHits).toEqual([]);
  });

  it('does not follow a redirect from an allowed host to an internal one, nor echo its body', async () => {
    const created = await createConnector({
      type: 'telegram',
      credentials: { botToken: botToken() },
      config: { baseUrl: `http://127.0.0.1:${redirector.port}` },
    });
    expect(created.status).toBe(201);
    const verified = await verify(created.body.id);
    expect(verified.status).toBe(422);
    expect(verified.body.detail).toContain('Telegram answered HTTP 302 without a Bot API body');
    expect(verified.text).not.toContain(INTERNAL_BODY);
    expect(redirectorHits).toHaveLength(1);
    expect(internalHits).toEqual([]);
  });

  it('refuses an SMTP host on a private port at save, never connecting to read its banner', async () => {
    const res = await createConnector({
      type: 'smtp',
      credentials: { host: '127.0.0.1', port: smtpInternal.port, from: 'shop@example.com' },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe(OUTBOUND_REFUSED);
    expect(res.body.detail).toMatch(/credentials\.host must reach a public address/);
    expect(tcpConnections.smtpInternal).toBe(0);
  });

  it('refuses a stored private SMTP host at verify and at send, never connecting to read its banner', async () => {
    const credentials = { host: '93.184.215.14', port: 25, from: 'shop@example.com' };
    const created = await createConnector({ type: 'smtp', credentials });
    expect(created.status).toBe(201);
    await pointInside(created.body.id, { credentials: { ...credentials, host: '127.0.0.1', port: smtpInternal.port } });
    const verified = await verify(created.body.id);
    expect(verified.status).toBe(422);
    expect(verified.body.type).toBe(OUTBOUND_REFUSED);
    const sent = await platform.request('POST', 'messages', {
      token: tenant.apiKey,
      body: { to: 'ada@example.com', message: 'hi', connector: created.body.id },
    });
    expect(sent.status).toBe(202);
    const message = await eventually(async () => {
      const res = await platform.request('GET', `messages/${sent.body.id}`, { token: tenant.apiKey });
      return res.body.status === 'failed' ? res.body : undefined;
    });
    expect(message.error.code).toBe('outbound_address_refused');
    expect(JSON.stringify([verified.body, message])).not.toContain('secret-banner');
    expect(tcpConnections.smtpInternal).toBe(0);
  });

  it('never echoes what a non-SMTP service on an allowed host answers', async () => {
    const created = await createConnector({
      type: 'smtp',
      credentials: { host: '127.0.0.1', port: bannerHost.port, from: 'shop@example.com' },
    });
    expect(created.status).toBe(201);
    const verified = await verify(created.body.id);
    expect(verified.status).toBe(422);
    expect(verified.body.detail).toContain('The server did not answer as an SMTP server');
    expect(verified.text).not.toContain(INTERNAL_BODY);
    expect(tcpConnections.bannerHost).toBeGreaterThan(0);
    expect(platform.logs.join('\n')).not.toContain(INTERNAL_BODY);
  });
});
