import { boundedProviderOutcome, MessageEvent, MessageStatus } from '@app/contracts';
import { mapTwilioStatus, parseWhatsAppStatuses } from '@app/connectors';

/** The statuses a receipt can move a message to; earlier ones (queued, sending) tell us nothing new. */
export type ReceiptStatus = Extract<MessageStatus, 'sent' | 'delivered' | 'read' | 'failed'>;
const RECEIPT_STATUSES: readonly MessageStatus[] = ['sent', 'delivered', 'read', 'failed'] satisfies ReceiptStatus[];

/** One provider status update for one message, whatever the provider. */
export interface Receipt {
  /** The provider's id for the message (Twilio's SM… sid, Meta's wamid): the message's externalId. */
  externalId: string;
  status: ReceiptStatus;
  /** ISO 8601: when the provider saw the change, or when the receipt arrived if the provider does not say. */
  at: string;
  /** Set exactly when the status is failed. */
  error?: { code: string; message: string };
}

/** Descriptions of Twilio's common delivery error codes (https://www.twilio.com/docs/api/errors). */
const TWILIO_DELIVERY_ERRORS: Readonly<Record<string, string>> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '30009': 'Missing segment',
  '30010': 'Message price exceeds max price',
};

/**
 * A Twilio StatusCallback form (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status)
 * → a receipt; null for statuses that add nothing (queued, sending, receiving…) or a form without a sid.
 * Twilio does not date its callbacks, so the receipt is dated when it arrived.
 */
export function twilioReceipt(params: Readonly<Record<string, string>>, receivedAt: Date): Receipt | null {
  const externalId = params.MessageSid || params.SmsSid;
  const twilioStatus = params.MessageStatus || params.SmsStatus;
  const status = mapTwilioStatus(twilioStatus);
  if (!externalId || !status || !RECEIPT_STATUSES.includes(status)) return null;
  const receipt: Receipt = { externalId, status: status as ReceiptStatus, at: receivedAt.toISOString() };
  if (status === 'failed') {
    const code = params.ErrorCode || twilioStatus;
    const described = TWILIO_DELIVERY_ERRORS[code] ?? (params.ErrorCode ? `see https://www.twilio.com/docs/api/errors/${code}` : undefined);
    receipt.error = { code, message: `Twilio reported the message ${twilioStatus}${described ? `: ${described}` : ''}` };
  }
  return receipt;
}

/** Every `statuses[]` entry of a WhatsApp Cloud API notification, oldest first. */
export function whatsAppReceipts(body: unknown): Receipt[] {
  return inOrder(
    parseWhatsAppStatuses(body).map((u): Receipt => {
      const receipt: Receipt = { externalId: u.externalId, status: u.status, at: u.at };
      if (u.status === 'failed') receipt.error = u.error ?? { code: 'failed', message: 'WhatsApp reported the message failed' };
      return receipt;
    }),
  );
}

/** Stable sort by `at`, so a batch that lists a later status first still records both moves. */
export function inOrder<T extends { at: string }>(receipts: T[]): T[] {
  return receipts
    .map((r, i) => ({ r, i, t: Date.parse(r.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ r }) => r);
}

/** The history entry an applied receipt adds to its message. */
export function receiptEvent(receipt: Receipt): MessageEvent {
  if (receipt.error) {
    const { code, message } = receipt.error;
    return {
      status: receipt.status,
      at: receipt.at,
      code,
      detail: `receipt: ${message}`,
      provider: boundedProviderOutcome({ code, message }),
    };
  }
  return { status: receipt.status, at: receipt.at, detail: `receipt: the provider reports the message ${receipt.status}` };
}
