import { DomainError } from '@app/contracts';

/**
 * Opaque cursors for newest-first keyset pages on (created_at, id): stable under inserts, and the
 * same shape for every list the API paginates (messages, webhook deliveries).
 */
export function encodePageCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

/** The (created_at, id) a cursor points after; a cursor this API did not return is a 422 on `cursor`. */
export function decodePageCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return [at, id];
  } catch {
    throw DomainError.validation('cursor', 'is not a cursor this API returned');
  }
}
