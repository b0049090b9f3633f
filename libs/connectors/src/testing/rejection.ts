import { ProviderError } from '../connector.interface';

/** For connector specs: the ProviderError a call rejects with; anything else (or success) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
