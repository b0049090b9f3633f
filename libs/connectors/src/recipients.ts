import type { ConnectorType } from '@app/contracts';

/** Telegram chat ids are integers (negative for groups and channels) or a public @channelusername. */
const TELEGRAM_CHAT = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

type RecipientRule = (to: string) => string | null;

/** Per channel: null when `to` is acceptable, else the reason (used as a 422 field message). */
export const RECIPIENT_RULES: Partial<Record<ConnectorType, RecipientRule>> = {
  telegram: (to) => (TELEGRAM_CHAT.test(to) ? null : 'must be a Telegram chat id or @channelusername'),
};

export function recipientProblem(type: ConnectorType, to: string): string | null {
  const rule = RECIPIENT_RULES[type];
  return rule ? rule(to) : null;
}
