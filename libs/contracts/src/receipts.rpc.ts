import type { AppName } from './rpc-owners';

/**
 * Provider receipts (issue: provider callbacks). The gateway only relays what it received; the
 * dispatcher holds the connector secrets, checks the provider's signature and applies the statuses.
 * A bad signature is Forbidden, an unknown connector NotFound.
 */
export interface ReceiptRpc {
  /** A Twilio StatusCallback: the form parameters and the URL Twilio signed (built from PUBLIC_URL when set). */
  'receipts.twilio': {
    payload: { connectorId: string; url: string; params: Record<string, string>; signature?: string };
    reply: { received: number };
  };
  /** A WhatsApp Cloud API notification: the raw body, base64, since the signature covers its exact bytes. */
  'receipts.whatsapp': {
    payload: { connectorId: string; rawBody: string; signature?: string };
    reply: { received: number };
  };
  /** Meta's webhook handshake: ok when mode is subscribe and the token is the connector's verifyToken. */
  'receipts.whatsappChallenge': {
    payload: { connectorId: string; mode?: string; verifyToken?: string };
    reply: { ok: boolean };
  };
}

export const RECEIPT_RPC_OWNERS: Record<keyof ReceiptRpc, AppName> = {
  'receipts.twilio': 'dispatcher',
  'receipts.whatsapp': 'dispatcher',
  'receipts.whatsappChallenge': 'dispatcher',
};
