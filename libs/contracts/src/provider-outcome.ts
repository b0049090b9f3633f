/** What a provider answered to one attempt, as a message's history shows it: short, and never a body or a secret. */
export interface ProviderOutcome {
  /** The HTTP status of the provider's answer; absent when it did not answer (timeout, refused connection) or speaks SMTP. */
  httpStatus?: number;
  /** The provider's own error code (Telegram's error_code, Twilio's 21211, Meta's 131047, an SMTP reply code…). */
  code?: string;
  /** The provider's own description of the error. */
  message?: string;
}

export const PROVIDER_CODE_MAX_LENGTH = 64;
export const PROVIDER_MESSAGE_MAX_LENGTH = 500;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The outcome cut to the lengths the history keeps; a provider's text can be anything, so it is bounded once, here. */
export function boundedProviderOutcome(outcome: ProviderOutcome): ProviderOutcome {
  const bounded: ProviderOutcome = {};
  if (Number.isInteger(outcome.httpStatus) && outcome.httpStatus! >= 100 && outcome.httpStatus! <= 599)
    bounded.httpStatus = outcome.httpStatus;
  if (outcome.code) bounded.code = clip(outcome.code, PROVIDER_CODE_MAX_LENGTH);
  if (outcome.message) bounded.message = clip(outcome.message, PROVIDER_MESSAGE_MAX_LENGTH);
  return bounded;
}
