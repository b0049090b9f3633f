import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderStatus } from '../connector.interface';

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio called followed by every
 * POST parameter's name and value, sorted by name (case-sensitive, code-unit order).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const names = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const signed = names.reduce((data, name) => data + name + params[name], url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** Checks an `X-Twilio-Signature` header in constant time; a missing header is a bad one. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  header: string | null | undefined,
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Twilio's MessageStatus (callbacks and the Message resource) → ours; null for statuses we do not track. */
const STATUS_MAP: Readonly<Record<string, ProviderStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

export function mapTwilioStatus(messageStatus: string | null | undefined): ProviderStatus | null {
  if (typeof messageStatus !== 'string' || !Object.hasOwn(STATUS_MAP, messageStatus)) return null;
  return STATUS_MAP[messageStatus];
}
