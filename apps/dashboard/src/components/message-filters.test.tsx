import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  RouterProvider,
  useNavigate,
  useSearch,
} from '@tanstack/react-router';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConnectorView } from '../api/types';
import { type MessageSearch, messagesQuery, parseMessageSearch } from '../lib/search';
import { MessageFilters } from './message-filters';

const CONNECTORS: ConnectorView[] = [
  {
    id: '7c0d6a3e-1b2c-4d5e-8f90-123456789abc',
    type: 'telegram',
    name: 'Bot',
    config: {},
    callbackUrl: null,
    createdAt: '',
    updatedAt: '',
  },
];

/** The filters on a real router, the way the messages screen wires them: URL → form → URL. */
async function renderAt(url: string) {
  const root = createRootRoute();
  const messages = createRoute({
    getParentRoute: () => root,
    path: '/messages',
    validateSearch: parseMessageSearch,
    component: function Screen() {
      const raw: unknown = useSearch({ strict: false });
      const search = raw as MessageSearch;
      const navigate = useNavigate();
      return <MessageFilters value={search} connectors={CONNECTORS} onChange={(next) => void navigate({ search: next } as never)} />;
    },
  });
  const router = createRouter({ routeTree: root.addChildren([messages]), history: createMemoryHistory({ initialEntries: [url] }) });
  await act(() => router.load());
  render(<RouterProvider router={router} />);
  await screen.findByRole('search', { name: 'Filter messages' });
  return router;
}

describe('message filters live in the URL', () => {
  it('shows the filters a URL carries', async () => {
    await renderAt(`/messages?status=failed&connector=${CONNECTORS[0].id}&to=%2B15551234567`);
    expect(screen.getByLabelText<HTMLSelectElement>('Status').value).toBe('failed');
    expect(screen.getByLabelText<HTMLSelectElement>('Connector').value).toBe(CONNECTORS[0].id);
    expect(screen.getByLabelText<HTMLInputElement>('Recipient').value).toBe('+15551234567');
  });

  it('drops what is malformed instead of sending it to the API', () => {
    expect(parseMessageSearch({ status: 'lost', since: 'yesterday', to: '', cursor: 'abc' })).toEqual({ cursor: 'abc' });
    expect(parseMessageSearch({ since: '2026-11-30T09:00:00Z' })).toEqual({ since: '2026-11-30T09:00:00.000Z' });
  });

  it('writes a changed filter to the URL and starts again from the newest page', async () => {
    const router = await renderAt('/messages?cursor=page2&to=%2B1555');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'sent');
    expect(router.state.location.search).toEqual({ status: 'sent', to: '+1555' });
  });

  it('applies the recipient and the time range on submit, and clears everything', async () => {
    const router = await renderAt('/messages');
    const form = screen.getByRole('search', { name: 'Filter messages' });
    await userEvent.type(within(form).getByLabelText('Recipient'), '42');
    await userEvent.type(within(form).getByLabelText('From'), '2026-11-30T08:00');
    await userEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(router.state.location.search).toEqual({ to: '42', since: new Date('2026-11-30T08:00').toISOString() });
    expect(messagesQuery('p1', router.state.location.search as never)).toBe(
      `/messages?projectId=p1&limit=20&to=42&since=${encodeURIComponent(new Date('2026-11-30T08:00').toISOString())}`,
    );
    await userEvent.click(within(form).getByRole('button', { name: 'Clear' }));
    expect(router.state.location.search).toEqual({});
    expect(screen.getByLabelText<HTMLInputElement>('Recipient').value).toBe('');
  });
});
