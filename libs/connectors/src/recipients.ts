import type { ConnectorType } from '@app/contracts';
import { smtpRecipientProblem } from './smtp/smtp.recipient';
import { twilioRecipientProblem } from './twilio/twilio.recipient';
import { whatsappRecipientProblem } from './whatsapp/whatsapp.recipient';

/** Telegram chat ids are integers (negative for groups and channels) or a public @channelusername. */
const TELEGRAM_CHAT = /^(?:-?\d{1,20}|@[A-Za-z]\w{3,31})$/;

type RecipientRule = (to: string) => string | null;

/** Per channel: null when `to` is acceptable, else the reason (used as a 422 field message). */
export const RECIPIENT_RULES: Record<ConnectorType, RecipientRule> = {
  telegram: (to) => (TELEGRAM_CHAT.test(to) ? null : 'must be a Telegram chat id or @channelusername'),
  whatsapp: whatsappRecipientProblem,
  twilio: twilioRecipientProblem,
  smtp: smtpRecipientProblem,
};

export function recipientProblem(type: ConnectorType, to: string): string | null {
  return RECIPIENT_RULES[type](to);
}
