import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { api } from '../api/client';
import type { MessagePage } from '../api/types';
import { MessageFilters } from '../components/message-filters';
import { DataTable, Pager, QueryState } from '../components/data';
import { Empty, PageHeader, StatusBadge, formatTime } from '../components/ui';
import { useConnectors } from '../lib/connectors';
import { type MessageSearch, messagesQuery } from '../lib/search';

const POLL_MS = 3_000;

export function MessagesScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/messages' });
  const search = useSearch({ from: '/signed-in/projects/$projectId/messages' });
  const navigate = useNavigate({ from: '/projects/$projectId/messages' });
  const connectors = useConnectors(projectId);
  const messages = useQuery({
    queryKey: ['projects', projectId, 'messages', search],
    queryFn: () => api<MessagePage>('GET', messagesQuery(projectId, search)),
    // The first page follows new messages; older pages hold still while being read.
    refetchInterval: search.cursor ? false : POLL_MS,
    placeholderData: (previous) => previous,
  });
  const setSearch = (next: MessageSearch) => void navigate({ search: next });

  return (
    <div>
      <PageHeader title="Messages">
        {!search.cursor && <span className="text-xs text-slate-600">Updates every {POLL_MS / 1000} s</span>}
      </PageHeader>
      <MessageFilters value={search} connectors={connectors.data?.data ?? []} onChange={setSearch} />
      <QueryState
        query={messages}
        isEmpty={(page) => page.data.length === 0}
        empty={
          <Empty title={Object.keys(search).length ? 'No messages match these filters' : 'No messages yet'}>
            {Object.keys(search).length ? (
              'Widen the time range or clear the filters.'
            ) : (
              <>
                Send one from a{' '}
                <Link to="/projects/$projectId/connectors" params={{ projectId }} className="text-indigo-800 underline">
                  connector&apos;s page
                </Link>{' '}
                or with an API key.
              </>
            )}
          </Empty>
        }
      >
        {(page) => (
          <>
            <DataTable caption="Messages, newest first" columns={['Created', 'Recipient', 'Connector', 'Status', 'Attempts', 'Error']}>
              {page.data.map((m) => (
                <tr key={m.id}>
                  <td className="p-2 whitespace-nowrap">
                    <Link
                      to="/projects/$projectId/messages/$messageId"
                      params={{ projectId, messageId: m.id }}
                      className="text-indigo-800 hover:underline"
                    >
                      {formatTime(m.createdAt)}
                    </Link>
                  </td>
                  <td className="p-2 font-mono text-xs">{m.to}</td>
                  <td className="p-2">{m.connector.type}</td>
                  <td className="p-2">
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="p-2">{m.attempts}</td>
                  <td className="p-2 text-xs text-red-800">{m.error ? `${m.error.code}: ${m.error.message}` : ''}</td>
                </tr>
              ))}
            </DataTable>
            <Pager label="Pages" cursor={search.cursor} nextCursor={page.nextCursor} first="Newest" next="Older messages" />
          </>
        )}
      </QueryState>
    </div>
  );
}
