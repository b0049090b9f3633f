import { createHmac } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';
import { ConnectorLoader, twilioSignature } from '@app/connectors';
import { StatusEventData } from '@app/contracts';
import { StatusEvents } from '../events/status-events';
import { Receipt } from './receipt';
import { ReceiptRepository, ReceiptResult } from './receipt.repository';
import { ReceiptsService } from './receipts.service';

const TWILIO_ID = '11111111-1111-4111-8111-111111111111';
const WHATSAPP_ID = '22222222-2222-4222-8222-222222222222';
const PROJECT_ID = '44444444-4444-4444-8444-444444444444';
const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const APP_SECRET = 'app-secret-0123456789';
const URL = `https://messagejs.example.test/api/v1/callbacks/twilio/${TWILIO_ID}`;

function service(results: ReceiptResult[] = []) {
  const connectors: Record<string, { type: string; credentials: Record<string, unknown>; config: Record<string, unknown> }> = {
    [TWILIO_ID]: { type: 'twilio', credentials: { accountSid: 'AC1', authToken: AUTH_TOKEN }, config: {} },
    [WHATSAPP_ID]: {
      type: 'whatsapp',
      credentials: { accessToken: 'EAA', phoneNumberId: '1', appSecret: APP_SECRET, verifyToken: 'verify-me-please' },
      config: {},
    },
  };
  const loader = {
    loadById: async (id: string) => {
      const c = connectors[id];
      if (!c) throw DomainError.notFound('connector');
      return { entity: { id, type: c.type, config: c.config }, connector: {}, credentials: () => c.credentials };
    },
  } as unknown as ConnectorLoader;
  const calls: string[] = [];
  const repository = {
    apply: async (_c: string, r: Receipt) => {
      calls.push(`apply ${r.externalId} ${r.status}`);
      const result = results.shift() ?? 'moved';
      return {
        result,
        moves: result === 'moved' ? [{ projectId: PROJECT_ID, messageId: `m-${r.externalId}`, status: r.status, at: r.at }] : [],
      };
    },
    keepPending: async (_c: string, r: Receipt) => void calls.push(`pending ${r.externalId} ${r.status}`),
    applyPending: async (_c: string, id: string) => {
      calls.push(`applyPending ${id}`);
      return [];
    },
  } as unknown as ReceiptRepository;
  const emitted: StatusEventData[] = [];
  const events = { emit: async (e: StatusEventData[]) => void emitted.push(...e) } as unknown as StatusEvents;
  return { receipts: new ReceiptsService(loader, repository, events), calls, emitted };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: DomainError) => err.code,
  );

describe('ReceiptsService', () => {
  describe('twilio', () => {
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC1' };

    it('applies a receipt signed over the callback URL', async () => {
      const { receipts, calls } = service();
      const reply = await receipts.twilio({
        connectorId: TWILIO_ID,
        url: URL,
        params,
        signature: twilioSignature(AUTH_TOKEN, URL, params),
      });
      expect(reply).toEqual({ received: 1 });
      expect(calls).toEqual(['apply SM1 delivered']);
    });

    it('refuses a forged, missing or other-URL signature and records nothing', async () => {
      const { receipts, calls } = service();
      const forged = twilioSignature('another-token-0123456789abcdef', URL, params);
      const elsewhere = twilioSignature(AUTH_TOKEN, 'http://127.0.0.1:3000/api/v1/callbacks/twilio/x', params);
      expect(await code(receipts.twilio({ connectorId: TWILIO_ID, url: URL, params, signature: forged }))).toBe(ErrorCode.Forbidden);
      expect(await code(receipts.twilio({ connectorId: TWILIO_ID, url: URL, params }))).toBe(ErrorCode.Forbidden);
      expect(await code(receipts.twilio({ connectorId: TWILIO_ID, url: URL, params, signature: elsewhere }))).toBe(ErrorCode.Forbidden);
      const tampered = { ...params, MessageStatus: 'read' };
      expect(
        await code(
          receipts.twilio({ connectorId: TWILIO_ID, url: URL, params: tampered, signature: twilioSignature(AUTH_TOKEN, URL, params) }),
        ),
      ).toBe(ErrorCode.Forbidden);
      expect(calls).toEqual([]);
    });

    it('answers an unknown connector, or one of another type, as not found', async () => {
      const { receipts } = service();
      expect(await code(receipts.twilio({ connectorId: '33333333-3333-4333-8333-333333333333', url: URL, params }))).toBe(
        ErrorCode.NotFound,
      );
      expect(await code(receipts.twilio({ connectorId: WHATSAPP_ID, url: URL, params }))).toBe(ErrorCode.NotFound);
    });

    it('keeps a receipt for an id no message has yet, then tries it at once in case the send was just recorded', async () => {
      const { receipts, calls } = service(['unknown']);
      await receipts.twilio({ connectorId: TWILIO_ID, url: URL, params, signature: twilioSignature(AUTH_TOKEN, URL, params) });
      expect(calls).toEqual(['apply SM1 delivered', 'pending SM1 delivered', 'applyPending SM1']);
    });
  });

  describe('whatsapp', () => {
    const body = JSON.stringify({
      entry: [
        {
          changes: [
            {
              value: {
                statuses: [
                  { id: 'wamid.A', status: 'read', timestamp: '1700000010' },
                  { id: 'wamid.A', status: 'delivered', timestamp: '1700000005' },
                ],
              },
            },
          ],
        },
      ],
    });
    const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    const rawBody = Buffer.from(body).toString('base64');

    it('applies every status of a notification signed over its raw bytes, oldest first', async () => {
      const { receipts, calls } = service(['moved', 'ignored']);
      expect(await receipts.whatsapp({ connectorId: WHATSAPP_ID, rawBody, signature: sign(body) })).toEqual({ received: 2 });
      expect(calls).toEqual(['apply wamid.A delivered', 'apply wamid.A read']);
    });

    it('hands each move it made, and only those, to the webhooks app', async () => {
      const { receipts, emitted } = service(['moved', 'ignored']);
      await receipts.whatsapp({ connectorId: WHATSAPP_ID, rawBody, signature: sign(body) });
      expect(emitted).toEqual([
        { projectId: PROJECT_ID, messageId: 'm-wamid.A', type: 'message.delivered', at: new Date(1_700_000_005_000).toISOString() },
      ]);
    });

    it('refuses a bad or missing signature and records nothing', async () => {
      const { receipts, calls } = service();
      expect(await code(receipts.whatsapp({ connectorId: WHATSAPP_ID, rawBody, signature: sign(body, 'wrong-secret') }))).toBe(
        ErrorCode.Forbidden,
      );
      expect(await code(receipts.whatsapp({ connectorId: WHATSAPP_ID, rawBody }))).toBe(ErrorCode.Forbidden);
      // Re-serialised JSON is not the bytes Meta signed.
      const reserialised = JSON.stringify(JSON.parse(body), null, 1);
      expect(
        await code(
          receipts.whatsapp({ connectorId: WHATSAPP_ID, rawBody: Buffer.from(reserialised).toString('base64'), signature: sign(body) }),
        ),
      ).toBe(ErrorCode.Forbidden);
      expect(calls).toEqual([]);
    });

    it('answers the handshake only for subscribe with the connector verifyToken', async () => {
      const { receipts } = service();
      expect(await receipts.whatsappChallenge({ connectorId: WHATSAPP_ID, mode: 'subscribe', verifyToken: 'verify-me-please' })).toEqual({
        ok: true,
      });
      expect(await receipts.whatsappChallenge({ connectorId: WHATSAPP_ID, mode: 'subscribe', verifyToken: 'verify-me-pleasE' })).toEqual({
        ok: false,
      });
      expect(await receipts.whatsappChallenge({ connectorId: WHATSAPP_ID, mode: 'unsubscribe', verifyToken: 'verify-me-please' })).toEqual({
        ok: false,
      });
      expect(await receipts.whatsappChallenge({ connectorId: WHATSAPP_ID, mode: 'subscribe' })).toEqual({ ok: false });
      expect(await code(receipts.whatsappChallenge({ connectorId: TWILIO_ID, mode: 'subscribe', verifyToken: 'x' }))).toBe(
        ErrorCode.NotFound,
      );
    });
  });
});
