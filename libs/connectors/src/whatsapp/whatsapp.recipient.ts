import { isValidPhoneNumber } from 'libphonenumber-js';

const E164 = /^\+[1-9]\d{1,14}$/;

/** Null when `to` is a valid E.164 number WhatsApp can address, else the reason (a 422 field message). */
export function whatsappRecipientProblem(to: string): string | null {
  // The shape check comes first: libphonenumber also accepts spaces, dashes and national formats.
  return E164.test(to) && isValidPhoneNumber(to) ? null : 'must be an E.164 phone number, like +14155552671';
}

/** The Cloud API's `to` and `wa_id` are the E.164 digits without the plus. */
export function toWhatsAppDigits(e164: string): string {
  return e164.startsWith('+') ? e164.slice(1) : e164;
}
