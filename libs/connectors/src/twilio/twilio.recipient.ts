import { isValidPhoneNumber } from 'libphonenumber-js';

/** E.164 as written: a plus, a country code, digits only — no spaces or punctuation. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** Null when Twilio can take `to`, else the reason (used as a 422 field message). */
export function twilioRecipientProblem(to: string): string | null {
  return E164.test(to) && isValidPhoneNumber(to) ? null : 'must be an E.164 phone number, like +14155552671';
}
