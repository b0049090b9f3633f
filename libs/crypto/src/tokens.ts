import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform base62 from rejection sampling (no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type ApiKeyType = 'secret' | 'public';
export const API_KEY_PATTERN = /^mjs_(sk|pk)_([0-9A-Za-z]{32,})$/;
/** How many characters of the random part are stored in clear to find the key's row. */
export const API_KEY_LOOKUP_LENGTH = 12;

export function generateApiKey(type: ApiKeyType): { key: string; prefix: string } {
  const key = `mjs_${type === 'secret' ? 'sk' : 'pk'}_${randomBase62(40)}`;
  return { key, prefix: apiKeyPrefix(key) };
}

/** `mjs_sk_` + the first characters of the random part: shown in lists, used as the row lookup. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 7 + API_KEY_LOOKUP_LENGTH);
}
