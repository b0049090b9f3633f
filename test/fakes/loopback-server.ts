import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP plumbing the provider fakes share, and nothing of any provider's protocol: a `node:http`
 * server on 127.0.0.1 at a free port, cancellable delays, and a close that cannot be held open.
 */
export class LoopbackServer {
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>`; stays valid after close, e.g. to test a refused connection. */
    readonly baseUrl: string,
  ) {}

  /** Listens at a free port; requests wait unanswered until serve() gets a handler. */
  static async start(): Promise<LoopbackServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** `handle` answers every request; if it throws before answering, the client gets a 500 with the error. */
  serve(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void {
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
  }

  /** A delay that close() cancels, so a request held back by a fake cannot keep the process alive. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Cancels pending pauses, stops listening and cuts open (keep-alive) connections. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Polls until `sent` holds `n` items and returns the first `n`; `fake` names the fake in the timeout error. */
export async function waitForCount<T>(sent: readonly T[], n: number, timeoutMs: number, fake: string): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (sent.length < n) {
    if (Date.now() > deadline) {
      throw new Error(`${fake}: expected ${n} sent messages within ${timeoutMs} ms, saw ${sent.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return sent.slice(0, n);
}
