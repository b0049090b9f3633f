import { canMove, MessageStatus, statusesThatCanMoveTo } from './message-status';

describe('canMove', () => {
  const table: Array<[MessageStatus, MessageStatus, boolean]> = [
    ['queued', 'sending', true],
    ['queued', 'sent', true],
    ['sending', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'read', true],
    ['sent', 'read', true],
    ['queued', 'failed', true],
    ['sending', 'failed', true],
    ['sent', 'failed', true],
    ['delivered', 'failed', false],
    ['read', 'failed', false],
    ['failed', 'sent', false],
    ['failed', 'queued', false],
    ['sent', 'sending', false],
    ['delivered', 'sent', false],
    ['read', 'delivered', false],
    ['sent', 'sent', false],
    ['queued', 'queued', false],
  ];
  it.each(table)('%s → %s is %s', (from, to, expected) => {
    expect(canMove(from, to)).toBe(expected);
  });

  it('lists the statuses a receipt may move from', () => {
    expect(statusesThatCanMoveTo('delivered')).toEqual(['queued', 'sending', 'sent']);
    expect(statusesThatCanMoveTo('failed')).toEqual(['queued', 'sending', 'sent']);
    expect(statusesThatCanMoveTo('queued')).toEqual([]);
  });
});
