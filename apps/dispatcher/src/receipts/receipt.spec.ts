import { inOrder, receiptEvent, twilioReceipt, whatsAppReceipts } from './receipt';

const AT = new Date('2025-01-02T03:04:05.000Z');
const form = (status: string, extra: Record<string, string> = {}) => ({
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: status,
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: status,
  ...extra,
});

describe('twilioReceipt', () => {
  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
  ])('maps MessageStatus %s to %s, dated when it arrived', (twilio, ours) => {
    expect(twilioReceipt(form(twilio), AT)).toMatchObject({
      externalId: 'SM0123456789abcdef0123456789abcdef',
      status: ours,
      at: AT.toISOString(),
    });
  });

  it.each(['queued', 'accepted', 'scheduled', 'sending', 'receiving', 'partially_delivered', 'nonsense'])(
    'ignores MessageStatus %s, which moves nothing',
    (twilio) => {
      expect(twilioReceipt(form(twilio), AT)).toBeNull();
    },
  );

  it('records ErrorCode as the error code of an undelivered message, with its meaning', () => {
    expect(twilioReceipt(form('undelivered', { ErrorCode: '30003' }), AT)?.error).toEqual({
      code: '30003',
      message: 'Twilio reported the message undelivered: Unreachable destination handset',
    });
    expect(twilioReceipt(form('failed', { ErrorCode: '30999' }), AT)?.error).toEqual({
      code: '30999',
      message: 'Twilio reported the message failed: see https://www.twilio.com/docs/api/errors/30999',
    });
    expect(twilioReceipt(form('failed'), AT)?.error).toEqual({ code: 'failed', message: 'Twilio reported the message failed' });
    expect(twilioReceipt(form('delivered', { ErrorCode: '0' }), AT)?.error).toBeUndefined();
  });

  it('falls back to the older SmsSid/SmsStatus names, and needs a sid', () => {
    expect(twilioReceipt({ SmsSid: 'SM1', SmsStatus: 'delivered' }, AT)).toMatchObject({ externalId: 'SM1', status: 'delivered' });
    expect(twilioReceipt({ MessageStatus: 'delivered' }, AT)).toBeNull();
  });
});

describe('whatsAppReceipts', () => {
  const notification = (statuses: unknown[]) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses } }] }],
  });

  it('applies every statuses[] entry, oldest first, with the error of a failed one', () => {
    const receipts = whatsAppReceipts(
      notification([
        { id: 'wamid.A', status: 'read', timestamp: '1700000010', recipient_id: '1' },
        { id: 'wamid.A', status: 'delivered', timestamp: '1700000005', recipient_id: '1' },
        { id: 'wamid.B', status: 'failed', timestamp: '1700000005', errors: [{ code: 131026, title: 'Message undeliverable' }] },
        { id: 'wamid.C', status: 'failed', timestamp: '1700000001' },
        { id: 'wamid.D', status: 'deleted', timestamp: '1700000001' },
      ]),
    );
    expect(receipts.map((r) => [r.externalId, r.status])).toEqual([
      ['wamid.C', 'failed'],
      ['wamid.A', 'delivered'],
      ['wamid.B', 'failed'],
      ['wamid.A', 'read'],
    ]);
    expect(receipts[0].error).toEqual({ code: 'failed', message: 'WhatsApp reported the message failed' });
    expect(receipts[2].error).toEqual({ code: '131026', message: 'Message undeliverable' });
    expect(receipts[1].error).toBeUndefined();
  });

  it('finds nothing in a body that is not a notification', () => {
    expect(whatsAppReceipts(null)).toEqual([]);
    expect(whatsAppReceipts({ entry: 'x' })).toEqual([]);
  });
});

describe('inOrder', () => {
  it('sorts by time and keeps the arrival order of ties', () => {
    const at = (s: number) => new Date(s * 1000).toISOString();
    expect(
      inOrder([
        { at: at(2), n: 1 },
        { at: at(1), n: 2 },
        { at: at(2), n: 3 },
      ]).map((r) => r.n),
    ).toEqual([2, 1, 3]);
  });
});

describe('receiptEvent', () => {
  it('records the status, when the provider saw it, and the provider code of a failure', () => {
    expect(receiptEvent({ externalId: 'x', status: 'delivered', at: AT.toISOString() })).toEqual({
      status: 'delivered',
      at: AT.toISOString(),
      detail: 'receipt: the provider reports the message delivered',
    });
    expect(
      receiptEvent({ externalId: 'x', status: 'failed', at: AT.toISOString(), error: { code: '30003', message: 'unreachable' } }),
    ).toEqual({
      status: 'failed',
      at: AT.toISOString(),
      code: '30003',
      detail: 'receipt: unreachable',
      provider: { code: '30003', message: 'unreachable' },
    });
  });
});
