import { receiptFromStatus } from './status-reconciler';

describe('receiptFromStatus', () => {
  const at = new Date('2026-01-02T03:04:05.000Z');

  it.each(['delivered', 'read'] as const)('turns a %s answer into a receipt of that status', (status) => {
    expect(receiptFromStatus('SM1', status, at)).toEqual({ externalId: 'SM1', status, at: at.toISOString() });
  });

  it('turns a failed answer into a failed receipt with an error', () => {
    expect(receiptFromStatus('SM1', 'failed', at)).toMatchObject({ status: 'failed', error: { code: 'undelivered' } });
  });

  it.each(['queued', 'sending', 'sent', null] as const)('has nothing to apply while the provider says %s', (status) => {
    expect(receiptFromStatus('SM1', status, at)).toBeNull();
  });
});
