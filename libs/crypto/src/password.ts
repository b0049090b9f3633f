import { compare, hash } from 'bcryptjs';

const ROUNDS = 10;
/** A real hash to compare against when the user does not exist, so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, ROUNDS);
}

export async function verifySecret(secret: string, hashed: string | null | undefined): Promise<boolean> {
  dummyHash ??= hash('no such secret', ROUNDS);
  const ok = await compare(secret, hashed ?? (await dummyHash));
  return ok && !!hashed;
}
