export const CONNECTOR_TYPES = ['telegram', 'whatsapp', 'twilio', 'smtp'] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

export function isConnectorType(value: unknown): value is ConnectorType {
  return typeof value === 'string' && (CONNECTOR_TYPES as readonly string[]).includes(value);
}

/** The longest text each channel accepts; longer is 422 at the API, never truncated. */
export const MAX_TEXT_LENGTH: Record<ConnectorType, number> = {
  telegram: 4096,
  whatsapp: 4096,
  twilio: 1600,
  smtp: 256 * 1024,
};
