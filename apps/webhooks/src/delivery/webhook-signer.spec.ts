import { webcrypto } from 'node:crypto';
import { WebhookSigner } from './webhook-signer';

describe('WebhookSigner', () => {
  const signer = new WebhookSigner();

  // The test vector published with the Standard Webhooks specification (and Svix's libraries).
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it("reproduces the specification's published signature", () => {
    expect(signer.signature(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches an HMAC computed independently with WebCrypto from the definition', async () => {
    const fresh = `whsec_${Buffer.from(webcrypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
    const content = '{"type":"message.sent","timestamp":"2026-01-01T00:00:00.000Z","data":{"to":"Zoë ✓"}}';
    const key = await webcrypto.subtle.importKey(
      'raw',
      Buffer.from(fresh.slice('whsec_'.length), 'base64'),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(`msg_x.1767225600.${content}`));
    expect(signer.signature(fresh, 'msg_x', 1767225600, content)).toBe(`v1,${Buffer.from(mac).toString('base64')}`);
  });

  it('sends JSON with the three Standard Webhooks headers', () => {
    expect(signer.headers([secret], id, timestamp, body)).toEqual({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('signs with each secret, newest first, space-separated, while a rotated-out one is honoured', () => {
    const next = 'whsec_QnV0IHRoaXMgb25lIGlzIHRoZSBuZXcgc2VjcmV0IQ==';
    expect(signer.headers([next, secret], id, timestamp, body)['webhook-signature']).toBe(
      `${signer.signature(next, id, timestamp, body)} v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=`,
    );
  });

  it('refuses a secret outside the 24 to 64 bytes the specification allows', () => {
    expect(() => signer.signature('whsec_c2hvcnQ=', id, timestamp, body)).toThrow('a webhook secret holds 24 to 64 bytes');
  });
});
