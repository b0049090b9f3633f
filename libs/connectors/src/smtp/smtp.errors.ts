import { OutboundAddressRefused } from '@app/transport';
import { ProviderError } from '../connector.interface';
import { outboundRefused } from '../http-failure';

/** The fields nodemailer's SMTP client sets on its errors: its own code and the server's reply. */
interface NodemailerErrorFields {
  code?: string;
  /** The server's reply line(s), e.g. `550 5.1.1 Requested action not taken: mailbox unavailable`. */
  response?: string;
  responseCode?: number;
  message: string;
}

/** The connection failed or broke; says nothing about the message, so another attempt may work. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EDNS',
]);
/** An SMTP reply line (RFC 5321 4.2): a 3-digit code, then a space, a hyphen or the end. */
const SMTP_REPLY = /^[2-5]\d\d(?:[ -]|$)/;
const MAX_REPLY_CHARS = 500;
/** Refused by the client before the server saw it (no recipient, bad address, too large): retrying cannot help. */
const LOCAL_REFUSALS = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Classifies one nodemailer failure for the worker: the reply code decides (RFC 5321 4.2.1: 4yz is
 * transient, 5yz permanent), except that a broken connection is always worth another attempt.
 * Messages quote the server's reply only when it is an SMTP reply: whatever else answered on that
 * port (a banner, an HTTP page) is never echoed to the tenant; otherwise the text is our own.
 */
export function classifySmtpError(error: unknown): ProviderError {
  if (error instanceof OutboundAddressRefused) return outboundRefused('The SMTP server', error);
  const { code, response, responseCode, message } = readFields(error);
  const reply = ownWords(code, response, message);
  const transient = responseCode !== undefined && responseCode >= 400 && responseCode < 500;

  if (code === 'EAUTH' || responseCode === 535) {
    // 454 4.7.0 is the server's own trouble checking credentials (RFC 4954), not a wrong password.
    return transient ? ProviderError.retryable(String(responseCode), reply) : ProviderError.permanent('EAUTH', reply);
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) return ProviderError.retryable(code, reply);
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    return ProviderError.permanent(String(responseCode), reply);
  }
  if (transient) return ProviderError.retryable(String(responseCode), reply);
  if (code !== undefined && LOCAL_REFUSALS.has(code)) return ProviderError.permanent(code, reply);
  return ProviderError.retryable(code ?? 'unknown', reply);
}

function ownWords(code: string | undefined, response: string | undefined, message: string): string {
  if (response !== undefined && code !== 'EPROTOCOL' && SMTP_REPLY.test(response)) return response.slice(0, MAX_REPLY_CHARS);
  if (code === 'EPROTOCOL') return 'The server did not answer as an SMTP server';
  if (code !== undefined && CONNECTION_CODES.has(code)) return `Could not reach the SMTP server (${code})`;
  if (code === 'ETLS') return 'TLS with the SMTP server failed';
  // nodemailer's own text (a missing credential, an envelope it refused); a reply it would quote is in `response`.
  return response === undefined ? message : `The SMTP server refused the request (${code ?? 'unknown'})`;
}

function readFields(error: unknown): NodemailerErrorFields {
  if (typeof error !== 'object' || error === null) return { message: 'SMTP send failed' };
  const { code, response, responseCode, message } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : undefined,
    response: typeof response === 'string' && response.trim() !== '' ? response.trim() : undefined,
    responseCode: typeof responseCode === 'number' ? responseCode : undefined,
    message: typeof message === 'string' && message !== '' ? message : 'SMTP send failed',
  };
}
