import { boundedProviderOutcome, PROVIDER_CODE_MAX_LENGTH, PROVIDER_MESSAGE_MAX_LENGTH } from './provider-outcome';

describe('boundedProviderOutcome', () => {
  it('keeps a short outcome as it is', () => {
    const outcome = { httpStatus: 400, code: '400', message: 'Bad Request: chat not found' };
    expect(boundedProviderOutcome(outcome)).toEqual(outcome);
  });

  it('cuts a long code and message to their limits, marking the cut', () => {
    const bounded = boundedProviderOutcome({ code: 'c'.repeat(1_000), message: 'm'.repeat(10_000) });
    expect(bounded.code).toHaveLength(PROVIDER_CODE_MAX_LENGTH);
    expect(bounded.message).toHaveLength(PROVIDER_MESSAGE_MAX_LENGTH);
    expect(bounded.message!.endsWith('…')).toBe(true);
  });

  it('drops what is empty or not an HTTP status', () => {
    expect(boundedProviderOutcome({ httpStatus: 0, code: '', message: '' })).toEqual({});
    expect(boundedProviderOutcome({ httpStatus: 1_000 })).toEqual({});
  });
});
