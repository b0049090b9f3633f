import { AddressInfo, createServer } from 'node:net';

/** A port the system just handed out on 127.0.0.1 (free now; nothing holds it for the caller). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on `port` (on every interface when `host` is left out). */
export function portIsFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port on 127.0.0.1 from `from` on: a stable, guessable port where one is free (`npm start`'s PostgreSQL, Redis). */
export async function findFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 100 && port <= 65535; port++) {
    if (await portIsFree(port, '127.0.0.1')) return port;
  }
  throw new Error(`no free port between ${from} and ${from + 99}`);
}
