import type { ConnectorType } from '@app/contracts';
import { twilioStatusCallbackUrl } from './twilio/twilio.connector';

/**
 * The URL to paste into the provider's console so its status updates reach this connector (the
 * gateway's /api/v1/callbacks routes), or null when PUBLIC_URL is unset or the channel sends none.
 */
export function callbackUrlFor(type: ConnectorType, connectorId: string, publicUrl: string | undefined): string | null {
  if (!publicUrl) return null;
  switch (type) {
    case 'twilio':
      return twilioStatusCallbackUrl(publicUrl, connectorId);
    case 'whatsapp':
      return `${publicUrl.replace(/(?<!\/)\/+$/, '')}/api/v1/callbacks/whatsapp/${encodeURIComponent(connectorId)}`;
    case 'telegram':
    case 'smtp':
      return null;
  }
}
