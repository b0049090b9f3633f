import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for connector credentials. A record is `v<version>.<nonce>.<ciphertext>.<tag>` (base64url
 * parts): a random 96-bit nonce per record and the key version, so the master key can be rotated
 * while old records stay readable.
 */
export class SecretBox {
  constructor(
    private readonly keys: ReadonlyMap<number, Buffer>,
    private readonly currentVersion: number,
  ) {
    if (!keys.has(currentVersion)) throw new Error(`no encryption key for version ${currentVersion}`);
  }

  seal(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentVersion)!, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [`v${this.currentVersion}`, nonce, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [versionPart, nonce, body, tag] = sealed.split('.');
    const key = this.keys.get(Number(versionPart?.slice(1)));
    if (!key || !nonce || body === undefined || !tag) throw new Error('sealed record is unreadable');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The key version a record was sealed with, to find records that still need re-sealing. */
  static versionOf(sealed: string): number {
    return Number(sealed.split('.')[0]?.slice(1));
  }
}
