import { isIP } from 'node:net';

export class ConfigError extends Error {}

export function decodeKey(name: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must decode to exactly 32 bytes (got ${key.length})`);
  return key;
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** A hop count, or proxy addresses as Express's `trust proxy` takes them; each entry is checked here. */
export function parseTrustProxy(value: string): number | string[] {
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const ok =
      PROXY_RANGES.includes(entry) ||
      (family !== 0 && extra === undefined && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits)));
    if (!ok) throw new ConfigError(`TRUST_PROXY: ${entry} is not loopback, linklocal, uniquelocal, an IP or a CIDR`);
  }
  return entries;
}
