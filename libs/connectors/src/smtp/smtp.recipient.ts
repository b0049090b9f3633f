import { isEmail } from 'class-validator';

/** Null when `to` is one email address, else the reason (used as a 422 field message). */
export function smtpRecipientProblem(to: string): string | null {
  return isEmail(to) ? null : 'must be an email address';
}
