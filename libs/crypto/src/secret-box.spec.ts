import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { API_KEY_PATTERN, apiKeyPrefix, generateApiKey, randomBase62 } from './tokens';
import { hashSecret, verifySecret } from './password';

describe('SecretBox', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips and uses a fresh nonce per record', () => {
    const box = new SecretBox(new Map([[1, k1]]), 1);
    const a = box.seal('{"botToken":"123:abc"}');
    const b = box.seal('{"botToken":"123:abc"}');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('abc');
    expect(box.open(a)).toBe('{"botToken":"123:abc"}');
  });

  it('reads records sealed with a retired key after rotation', () => {
    const old = new SecretBox(new Map([[1, k1]]), 1).seal('secret');
    const rotated = new SecretBox(
      new Map([
        [1, k1],
        [2, k2],
      ]),
      2,
    );
    expect(rotated.open(old)).toBe('secret');
    expect(SecretBox.versionOf(rotated.seal('x'))).toBe(2);
  });

  it('refuses a tampered record', () => {
    const box = new SecretBox(new Map([[1, k1]]), 1);
    const parts = box.seal('secret').split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });
});

describe('API keys and secrets', () => {
  it('generates keys of the documented shape', () => {
    const { key, prefix } = generateApiKey('secret');
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key.startsWith('mjs_sk_')).toBe(true);
    expect(prefix).toBe(apiKeyPrefix(key));
    expect(generateApiKey('public').key.startsWith('mjs_pk_')).toBe(true);
    expect(randomBase62(50)).toMatch(/^[0-9A-Za-z]{50}$/);
  });

  it('verifies a bcrypt hash and refuses a wrong or missing one', async () => {
    const hashed = await hashSecret('correct horse');
    expect(await verifySecret('correct horse', hashed)).toBe(true);
    expect(await verifySecret('wrong', hashed)).toBe(false);
    expect(await verifySecret('anything', null)).toBe(false);
  });
});
