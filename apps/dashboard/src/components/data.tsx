import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from './ui';

/**
 * A query's three other states said the same way on every screen — loading, the API's problem with a
 * retry, and an empty answer — so a screen writes only what it shows when there is data.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}

/** A table with a caption for screen readers, column headers, and (with `actions`) an unlabelled last column. */
export function DataTable({
  caption,
  columns,
  actions = false,
  framed = true,
  children,
}: {
  caption: string;
  columns: string[];
  actions?: boolean;
  /** False inside a Card, which is the frame already. */
  framed?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`overflow-x-auto ${framed ? 'rounded-lg border border-slate-200 bg-white' : ''}`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-700 uppercase">
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="p-2">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col" className="p-2">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** A framed list, one row per item: its link on the left, a line about it on the right. */
export function ItemList<T extends { id: string }>({
  items,
  link,
  meta,
}: {
  items: T[];
  link: (item: T) => ReactNode;
  meta: (item: T) => ReactNode;
}) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {items.map((item) => (
        <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
          {link(item)}
          <span className="text-xs text-slate-600">{meta(item)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Keyset pages kept in the URL's `cursor`: links, so back, forward, reload and a shared link all land on
 * the same page; the other search params (filters) stay as they are.
 */
export function Pager({
  label,
  cursor,
  nextCursor,
  first,
  next,
}: {
  label: string;
  cursor: string | undefined;
  nextCursor: string | null;
  first: string;
  next: string;
}) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={label} className="mt-3 flex gap-3 text-sm">
      {cursor && (
        <Link to="." search={(prev: Record<string, unknown>) => ({ ...prev, cursor: undefined })} className="text-indigo-800 underline">
          {first}
        </Link>
      )}
      {nextCursor && (
        <Link to="." search={(prev: Record<string, unknown>) => ({ ...prev, cursor: nextCursor })} className="text-indigo-800 underline">
          {next}
        </Link>
      )}
    </nav>
  );
}
