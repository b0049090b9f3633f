import type { UseQueryResult } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider, useSearch } from '@tanstack/react-router';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { DataTable, Pager, QueryState } from './data';

const query = <T,>(state: Partial<UseQueryResult<T>>) => ({ refetch: vi.fn(), ...state }) as unknown as UseQueryResult<T>;

describe('QueryState', () => {
  const view = (q: UseQueryResult<string[]>) => (
    <QueryState query={q} isEmpty={(d) => d.length === 0} empty={<p>nothing</p>}>
      {(d) => <p>{d.join(',')}</p>}
    </QueryState>
  );

  it('says loading, then shows the data', () => {
    const { rerender } = render(view(query({ isPending: true })));
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    rerender(view(query({ isPending: false, isError: false, data: ['a', 'b'] })));
    expect(screen.getByText('a,b')).toBeTruthy();
  });

  it('shows the API problem with a retry, and the empty state', async () => {
    const failed = query<string[]>({ isPending: false, isError: true, error: new ApiError({ status: 500, detail: 'boom' }) });
    const { rerender } = render(view(failed));
    expect(screen.getByRole('alert').textContent).toContain('boom');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(failed.refetch).toHaveBeenCalled();
    rerender(view(query({ isPending: false, isError: false, data: [] })));
    expect(screen.getByText('nothing')).toBeTruthy();
  });
});

describe('DataTable', () => {
  it('names its columns, and an actions column for screen readers only', () => {
    render(
      <DataTable caption="Keys" columns={['Name', 'Created']} actions>
        <tr>
          <td>k</td>
        </tr>
      </DataTable>,
    );
    expect(screen.getByRole('table', { name: 'Keys' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Name', 'Created', 'Actions']);
  });
});

describe('Pager', () => {
  async function renderAt(url: string, nextCursor: string | null) {
    const root = createRootRoute();
    const list = createRoute({
      getParentRoute: () => root,
      path: '/list',
      validateSearch: (raw: Record<string, unknown>) => raw as { cursor?: string; status?: string },
      component: function List() {
        const search: unknown = useSearch({ strict: false });
        const { cursor } = search as { cursor?: string };
        return <Pager label="Pages" cursor={cursor} nextCursor={nextCursor} first="Newest" next="Older" />;
      },
    });
    const router = createRouter({ routeTree: root.addChildren([list]), history: createMemoryHistory({ initialEntries: [url] }) });
    await act(() => router.load());
    render(<RouterProvider router={router} />);
    return router;
  }

  it('keeps the page in the URL, with the filters beside it', async () => {
    const router = await renderAt('/list?status=failed', 'c2');
    expect(screen.queryByRole('link', { name: 'Newest' })).toBeNull();
    await userEvent.click(await screen.findByRole('link', { name: 'Older' }));
    expect(router.state.location.search).toEqual({ status: 'failed', cursor: 'c2' });
    await userEvent.click(await screen.findByRole('link', { name: 'Newest' }));
    expect(router.state.location.search).toEqual({ status: 'failed' });
  });

  it('shows nothing on a single page', async () => {
    await renderAt('/list', null);
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});
