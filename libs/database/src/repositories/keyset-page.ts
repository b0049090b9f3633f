import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodePageCursor, encodePageCursor } from '../page-cursor';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<E> {
  data: E[];
  nextCursor: string | null;
}

/**
 * One newest-first page of `query` (already filtered), keyset-paginated on (`createdAt`, alias.id):
 * `createdAt` is the SQL of the order key, truncated to what a cursor carries where rows can share it.
 */
export async function keysetPage<E extends ObjectLiteral & { id: string; createdAt: Date }>(
  query: SelectQueryBuilder<E>,
  createdAt: string,
  page: PageRequest,
): Promise<Page<E>> {
  const id = `${query.alias}.id`;
  query
    .orderBy(createdAt, 'DESC')
    .addOrderBy(id, 'DESC')
    .limit(page.limit + 1);
  if (page.cursor) {
    const [afterAt, afterId] = decodePageCursor(page.cursor);
    query.andWhere(`(${createdAt}, ${id}) < (:afterAt::timestamptz, :afterId::uuid)`, { afterAt, afterId });
  }
  const rows = await query.getMany();
  const data = rows.slice(0, page.limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > page.limit ? encodePageCursor(last.createdAt, last.id) : null };
}
