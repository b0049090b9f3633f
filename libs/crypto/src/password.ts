import { hash, verify } from '@node-rs/bcrypt';

const ROUNDS = 10;
/** A real hash to compare against when the user does not exist, so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

/**
 * bcrypt in native code on the libuv thread pool, so hashing never blocks the event loop. Hashes are
 * standard `$2b$` strings: the ones bcryptjs wrote before still verify.
 */
export function hashSecret(secret: string): Promise<string> {
  return hash(secret, ROUNDS);
}

export async function verifySecret(secret: string, hashed: string | null | undefined): Promise<boolean> {
  dummyHash ??= hash('no such secret', ROUNDS);
  const ok = await verify(secret, hashed ?? (await dummyHash));
  return ok && !!hashed;
}
