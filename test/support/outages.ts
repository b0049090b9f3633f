import { createServer, Server, Socket } from 'node:net';
import { freePort, RedisServerProcess } from '../../libs/devkit/src';

/** A Redis server of the suite's own, so a test can kill and restart it without touching anyone else's. */
export class RedisServer {
  private constructor(private readonly server: RedisServerProcess) {}

  get url(): string {
    return this.server.url;
  }

  static async start(): Promise<RedisServer> {
    const redis = new RedisServer(new RedisServerProcess(await freePort()));
    await redis.restart();
    return redis;
  }

  /** Starts (again) on the same port, empty: a restart loses everything, as Redis without persistence does. */
  restart(): Promise<void> {
    return this.server.start();
  }

  kill(): Promise<void> {
    return this.server.kill();
  }
}

/** A TCP proxy in front of PostgreSQL: `cut()` is an outage (connections dropped, new ones refused). */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), target);
    await proxy.restore();
    return proxy;
  }

  async restore(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}
