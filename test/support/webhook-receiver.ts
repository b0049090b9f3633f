import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body. */
  event: { type: string; timestamp: string; data: Record<string, unknown> & { id: string } };
  at: number;
}

/** A customer's webhook endpoint: records every POST and answers with the statuses planned for its path (200 otherwise). */
export class Receiver {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, number[]>();

  private constructor(private readonly server: Server) {
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path, headers: req.headers, body, event: JSON.parse(body), at: Date.now() });
        res.writeHead(this.plans.get(path)?.shift() ?? 200).end();
      });
    });
  }

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Receiver(server);
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${(this.server.address() as AddressInfo).port}${path}`;
  }

  answer(path: string, ...statuses: number[]): void {
    this.plans.set(path, statuses);
  }

  at(path: string, messageId?: string, type?: string): Received[] {
    return this.received.filter(
      (r) => r.path === path && (!messageId || r.event.data.id === messageId) && (!type || r.event.type === type),
    );
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** Standard Webhooks verification written from the specification, independently of the platform's signer. */
export function signatureIsValid(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return String(r.headers['webhook-signature']).split(' ').includes(expected);
}
