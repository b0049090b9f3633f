import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { Connector, ConnectorContext, OutboundMessage, ProviderError, SendResult, VerifyResult } from '../connector.interface';
import { parseSmtpSender, SmtpConfig, SmtpCredentials, SmtpSender } from './smtp.credentials';
import { PUBLIC_ONLY } from '@app/transport';
import { classifySmtpError } from './smtp.errors';
import { connectChecked } from './smtp.socket';
import { smtpRecipientProblem } from './smtp.recipient';

const TIMEOUT_MS = 15_000;
const MAX_CONNECTIONS = 5;
const IMPLICIT_TLS_PORT = 465;
export const SMTP_DEFAULT_SUBJECT = 'Message';

/** Sends email through one SMTP account over a pool of reused connections (closed by `close()`). */
export class SmtpConnector implements Connector {
  readonly type = 'smtp';
  // ES private fields: the transport's options hold the password, so they stay out of inspect/JSON.
  readonly #transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;
  readonly #host: string;
  readonly #sender: SmtpSender;
  readonly #secrets: string[];
  #closed = false;

  constructor(credentials: SmtpCredentials, _config: SmtpConfig = {}, context?: ConnectorContext) {
    const policy = context?.outbound ?? PUBLIC_ONLY;
    const { host, port, username, password = '' } = credentials;
    this.#host = host;
    // Credentials are validated when written; fall back to the raw value rather than refuse here.
    this.#sender = parseSmtpSender(credentials.from) ?? { name: '', address: credentials.from };
    this.#transport = createTransport({
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      host,
      port,
      // Implicit TLS is what port 465 means (RFC 8314); elsewhere STARTTLS is used when offered.
      secure: credentials.secure ?? port === IMPLICIT_TLS_PORT,
      auth: username ? { user: username, pass: password } : undefined,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
      // Every pooled connection is opened here, through the outbound guard; nodemailer resolves nothing itself.
      getSocket: (_options, callback) => {
        connectChecked(host, port, policy, TIMEOUT_MS).then(
          (connection) => callback(null, { connection }),
          (err: Error) => callback(err, undefined),
        );
      },
    });
    // The password as typed and as AUTH LOGIN / AUTH PLAIN put it on the wire, longest first.
    this.#secrets = password
      ? [Buffer.from(`\0${username ?? ''}\0${password}`).toString('base64'), Buffer.from(password).toString('base64'), password]
      : [];
  }

  /** Connects, greets and logs in (when a username is set), then quits. */
  async validate(): Promise<VerifyResult> {
    this.#assertOpen();
    try {
      await this.#transport.verify();
    } catch (error) {
      throw this.#withoutSecrets(classifySmtpError(error));
    }
    return { ok: true, identity: this.#host };
  }

  async sendMessage(message: OutboundMessage): Promise<SendResult> {
    this.#assertOpen();
    // Defence in depth: a "to" with commas would otherwise become several recipients.
    const problem = smtpRecipientProblem(message.to);
    if (problem) throw ProviderError.permanent('EENVELOPE', `to ${problem}`);
    // Our own Message-ID, so the externalId is known whatever the server answers.
    const messageId = `<${randomUUID()}@${domainOf(this.#sender.address)}>`;
    try {
      await this.#transport.sendMail({
        from: this.#sender,
        to: { name: '', address: message.to },
        subject: message.subject || SMTP_DEFAULT_SUBJECT,
        text: message.text,
        messageId,
      });
    } catch (error) {
      throw this.#withoutSecrets(classifySmtpError(error));
    }
    return { externalId: messageId };
  }

  /** Closes idle pooled connections now and busy ones once their message is done. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#transport.close();
  }

  /** A closed pool would take the message and never call back, so refuse before handing it over. */
  #assertOpen(): void {
    if (this.#closed) throw ProviderError.retryable('closed', 'This SMTP connector was closed');
  }

  /** Defence in depth: nodemailer never quotes the password, but a server reply might echo it. */
  #withoutSecrets(error: ProviderError): ProviderError {
    const leaked = this.#secrets.filter((secret) => error.message.includes(secret));
    if (leaked.length === 0) return error;
    const message = leaked.reduce((text, secret) => text.replaceAll(secret, '<password>'), error.message);
    return new ProviderError(error.kind, error.code, message, error.retryAfterMs);
  }
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 ? address.slice(at + 1).toLowerCase() : 'localhost';
}
