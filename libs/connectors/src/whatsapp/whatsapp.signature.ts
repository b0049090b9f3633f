import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeWhatsAppError } from './whatsapp.errors';

const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed by the app
 * secret>`. It must be the raw bytes: Meta escapes non-ASCII characters, so re-serialised JSON differs.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  // An empty key would make every signature forgeable by anyone.
  if (appSecret === '' || header === undefined) return false;
  const match = SIGNATURE_HEADER.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

export type WhatsAppDeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface WhatsAppStatusUpdate {
  /** The wamid the send returned, i.e. the message's externalId. */
  externalId: string;
  status: WhatsAppDeliveryStatus;
  /** When Meta saw the change, as an ISO 8601 string. */
  at: string;
  error?: { code: string; message: string };
}

const STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed'] satisfies WhatsAppDeliveryStatus[];

/**
 * Flattens `entry[].changes[].value.statuses[]` of a webhook notification. Inbound `messages[]`,
 * other statuses (`deleted`, `warning`…) and malformed entries are skipped, never thrown on:
 * Meta retries a webhook that fails, and a retry would not be better formed.
 */
export function parseWhatsAppStatuses(body: unknown): WhatsAppStatusUpdate[] {
  const updates: WhatsAppStatusUpdate[] = [];
  for (const entry of arrayAt(body, 'entry')) {
    for (const change of arrayAt(entry, 'changes')) {
      const value = isRecord(change) ? change.value : undefined;
      for (const status of arrayAt(value, 'statuses')) {
        const update = toUpdate(status);
        if (update) updates.push(update);
      }
    }
  }
  return updates;
}

function toUpdate(raw: unknown): WhatsAppStatusUpdate | undefined {
  if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.status !== 'string') return undefined;
  if (!STATUSES.includes(raw.status)) return undefined;
  // Meta sends the unix time in seconds as a string.
  const seconds = typeof raw.timestamp === 'string' || typeof raw.timestamp === 'number' ? Number(raw.timestamp) : NaN;
  if (!Number.isFinite(seconds)) return undefined;
  const update: WhatsAppStatusUpdate = {
    externalId: raw.id,
    status: raw.status as WhatsAppDeliveryStatus,
    at: new Date(seconds * 1000).toISOString(),
  };
  const [error] = arrayAt(raw, 'errors');
  if (isRecord(error)) {
    const code = typeof error.code === 'number' || typeof error.code === 'string' ? String(error.code) : 'unknown';
    const details = isRecord(error.error_data) ? error.error_data.details : undefined;
    update.error = { code, message: describeWhatsAppError(code, error.message ?? error.title, details) };
  }
  return update;
}

function arrayAt(value: unknown, key: string): unknown[] {
  const found = isRecord(value) ? value[key] : undefined;
  return Array.isArray(found) ? found : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
