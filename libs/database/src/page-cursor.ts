import { DomainError, UUID_PATTERN } from '@app/contracts';

/**
 * Opaque cursors for newest-first keyset pages on (created_at, id): stable under inserts, and the
 * same shape for every list the API paginates (messages, webhook deliveries).
 */
export function encodePageCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The (created_at, id) a cursor points after; a cursor this API did not return is a 422 on `cursor`.
 * Both parts must have exactly the shape encodePageCursor writes, so the query can never fail on them.
 */
export function decodePageCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || !ISO_INSTANT.test(at) || !UUID_PATTERN.test(id)) throw new Error('bad cursor');
    if (new Date(at).toISOString() !== at) throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw DomainError.validation('cursor', 'is not a cursor this API returned');
  }
}
