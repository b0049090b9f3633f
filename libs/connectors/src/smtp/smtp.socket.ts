import { connect, Socket } from 'node:net';
import { OutboundPolicy, resolveUnder } from '@app/transport';

/**
 * Opens the TCP connection nodemailer then speaks SMTP (and STARTTLS or implicit TLS) over: to an
 * address checked by the outbound guard at this very connect, so a host that resolves privately now
 * (DNS rebinding) is refused whatever it resolved to when saved. Settles once connected.
 */
export async function connectChecked(host: string, port: number, policy: OutboundPolicy, timeoutMs: number): Promise<Socket> {
  const [first] = await resolveUnder(host, port, policy);
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: first.address, port, family: first.family });
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('connection timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}
