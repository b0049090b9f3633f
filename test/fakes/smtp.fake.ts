import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerAuthentication,
  type SMTPServerAuthenticationResponse,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { waitForCount } from './loopback-server';

/**
 * A loopback SMTP server (RFC 5321) on smtp-server: plain TCP on 127.0.0.1 without STARTTLS, AUTH
 * PLAIN/LOGIN allowed in the clear, replies carrying enhanced status codes (RFC 3463) as real MTAs
 * send them, e.g. `550 5.1.1 Requested action not taken: mailbox unavailable`.
 */

/**
 * Injected failures, one per mail transaction, taken when the transaction starts (MAIL FROM):
 * '421' and 'drop' fire at MAIL FROM, '452' at RCPT TO, '451' and '554' after the message data.
 */
export type SmtpFakeFailure = '421' | '451' | '452' | '554' | 'drop';

export interface SmtpFakeOptions {
  /** When set, AUTH must use exactly these, and mail from a client that did not log in is refused (530). */
  username?: string;
  password?: string;
}

export interface SmtpFakeSent {
  /** The envelope: MAIL FROM and RCPT TO addresses. */
  from: string;
  to: string[];
  subject: string;
  /** The decoded text body, CRLF line ends back to LF, without the final line end the wire always has. */
  text: string;
  /** The Message-ID header, angle brackets included. */
  messageId: string;
  /** Every header once (the first of repeated ones), name lower-cased, unfolded, RFC 2047 words decoded. */
  headers: Record<string, string>;
  /** The message as received after DATA, dot-stuffing removed. */
  raw: string;
  /** The user who logged in with AUTH, if any. */
  user?: string;
  at: Date;
}

type ReplyError = Error & { responseCode: number };

export class SmtpFake {
  readonly sent: SmtpFakeSent[] = [];
  /** SMTP sessions opened so far (one per TCP connection), to see connection reuse. */
  connections = 0;

  private readonly rejected = new Set<string>();
  private readonly failures: SmtpFakeFailure[] = [];
  /** The failure each session's current transaction drew at MAIL FROM. */
  private readonly pending = new Map<string, SmtpFakeFailure>();
  private readonly sockets = new Map<number, Socket>();
  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor(
    private readonly options: SmtpFakeOptions,
    private readonly name = 'smtp.fake.test',
  ) {
    const requireAuth = options.username !== undefined;
    this.server = new SMTPServer({
      name,
      secure: false,
      disabledCommands: ['STARTTLS'],
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      hideENHANCEDSTATUSCODES: false, // off by default in smtp-server; Postfix, Exim and Gmail send them
      authOptional: !requireAuth,
      disableReverseLookup: true,
      logger: false,
      onConnect: (session, callback) => this.onConnect(session, callback),
      onAuth: (auth, session, callback) => this.onAuth(auth, session, callback),
      onMailFrom: (address, session, callback) => this.onMailFrom(address, session, callback),
      onRcptTo: (address, session, callback) => this.onRcptTo(address, session, callback),
      onData: (stream, session, callback) => this.onData(stream, session, callback),
      onClose: (session) => {
        this.pending.delete(session.id);
      },
    });
    // Sockets are kept by client port, to drop one on demand and to end them all on close().
    this.server.server.on('connection', (socket: Socket) => {
      const port = socket.remotePort;
      if (port === undefined) return;
      this.sockets.set(port, socket);
      socket.once('close', () => this.sockets.delete(port));
    });
    this.server.on('error', () => undefined); // a client vanishing mid-session is what some tests do
  }

  static async start(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
    const fake = new SmtpFake(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.listeningPort = (fake.server.server.address() as AddressInfo).port;
    return fake;
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** Stays readable after close(), e.g. to test a refused connection. */
  get port(): number {
    return this.listeningPort;
  }

  /** TCP connections open right now, to see a client release its pool. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** RCPT TO this address is answered `550 5.1.1 … mailbox unavailable`. */
  rejectRecipient(address: string): void {
    this.rejected.add(address.toLowerCase());
  }

  /** The next `count` mail transactions fail this way (see SmtpFakeFailure for where). */
  failNext(kind: SmtpFakeFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(kind);
  }

  waitForSent(n: number, timeoutMs = 5_000): Promise<SmtpFakeSent[]> {
    return waitForCount(this.sent, n, timeoutMs, 'SMTP fake');
  }

  /** Stops listening and cuts every open session, so pooled clients cannot hold the server open. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets.values()) socket.destroy();
    await closed;
  }

  private onConnect(_session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    this.connections++;
    callback();
  }

  private onAuth(
    auth: SMTPServerAuthentication,
    _session: SMTPServerSession,
    callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
  ): void {
    const { username, password } = this.options;
    const valid = username === undefined || (auth.username === username && auth.password === password);
    // No responseCode: smtp-server answers 535 and adds 5.7.8 itself.
    if (!valid) return callback(null, { message: 'Authentication credentials invalid' });
    callback(null, { user: auth.username });
  }

  private onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const failure = this.failures.shift();
    this.pending.delete(session.id);
    if (failure === 'drop') {
      this.sockets.get(session.remotePort)?.destroy(); // no reply at all: the client sees the connection vanish
      return;
    }
    if (failure === '421') {
      // smtp-server closes the connection after any 421, as RFC 5321 3.8 asks.
      return callback(reply(421, `${this.name} Service not available, closing transmission channel`));
    }
    if (failure) this.pending.set(session.id, failure);
    callback();
  }

  private onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    if (this.pending.get(session.id) === '452') {
      this.pending.delete(session.id);
      return callback(reply(452, 'Requested action not taken: insufficient system storage'));
    }
    if (this.rejected.has(address.address.toLowerCase())) {
      return callback(reply(550, 'Requested action not taken: mailbox unavailable'));
    }
    callback();
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => {
      const failure = this.pending.get(session.id);
      this.pending.delete(session.id);
      if (failure === '451') return callback(reply(451, 'Requested action aborted: local error in processing'));
      if (failure === '554') return callback(reply(554, 'Transaction failed'));
      this.sent.push(record(session, Buffer.concat(chunks)));
      callback(null, `Ok: queued as ${randomBytes(6).toString('hex').toUpperCase()}`);
    });
  }
}

/** An error smtp-server turns into a reply; it adds the enhanced status code for the reply code. */
function reply(responseCode: number, message: string): ReplyError {
  return Object.assign(new Error(message), { responseCode });
}

function record(session: SMTPServerSession, data: Buffer): SmtpFakeSent {
  const raw = data.toString('utf8');
  const { headers, body } = parseMessage(raw);
  const mailFrom = session.envelope.mailFrom;
  return {
    from: mailFrom ? mailFrom.address : '',
    to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    subject: headers.subject ?? '',
    text: decodeBody(body, headers['content-transfer-encoding']),
    messageId: headers['message-id'] ?? '',
    headers,
    raw,
    user: typeof session.user === 'string' ? session.user : undefined,
    at: new Date(),
  };
}

/** Splits an RFC 5322 message at the first empty line; enough for the single-part mail connectors send. */
function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeEncodedWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** RFC 2047 `=?charset?B|Q?…?=` words; the space between two adjacent words is not part of the text. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_word, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1');
    });
}

function decodeBody(body: string, transferEncoding = '7bit'): string {
  let text: string;
  switch (transferEncoding.toLowerCase()) {
    case 'base64':
      text = Buffer.from(body, 'base64').toString('utf8');
      break;
    case 'quoted-printable':
      text = decodeQuotedPrintable(body).toString('utf8');
      break;
    default:
      text = body;
  }
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\r?\n/g, ''); // soft line breaks
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped[i] === '=' ? unwrapped.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
