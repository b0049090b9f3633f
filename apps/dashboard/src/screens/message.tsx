import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api } from '../api/client';
import type { MessageWithEvents } from '../api/types';
import { Timeline } from '../components/timeline';
import { Button, Card, ErrorState, Loading, PageHeader, StatusBadge, formatTime } from '../components/ui';

const MOVING = new Set(['queued', 'sending', 'sent']);

export function MessageScreen() {
  const { projectId, messageId } = useParams({ from: '/signed-in/projects/$projectId/messages/$messageId' });
  const queryClient = useQueryClient();
  const key = ['projects', projectId, 'message', messageId];
  const message = useQuery({
    queryKey: key,
    queryFn: () => api<MessageWithEvents>('GET', `/messages/${messageId}?projectId=${projectId}`),
    // Follow the message until it settles (sent may still become delivered or read).
    refetchInterval: (query) => (query.state.data && MOVING.has(query.state.data.status) ? 2_000 : false),
  });
  const retry = useMutation({
    mutationFn: () => api<unknown>('POST', `/messages/${messageId}/retry?projectId=${projectId}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });

  if (message.isPending) return <Loading />;
  if (message.isError) return <ErrorState error={message.error} onRetry={() => void message.refetch()} />;
  const m = message.data;
  const facts: [string, string][] = [
    ['Status', m.status],
    ['Recipient', m.to],
    ['Connector', `${m.connector.type} (${m.connector.id})`],
    ['Provider id', m.externalId ?? '—'],
    ['Attempts', String(m.attempts)],
    ['Accepted', formatTime(m.createdAt)],
    ['Sent', formatTime(m.sentAt)],
    ['Delivered', formatTime(m.deliveredAt)],
  ];
  return (
    <div className="flex flex-col gap-4">
      <Link to="/projects/$projectId/messages" params={{ projectId }} className="text-sm text-indigo-800 hover:underline">
        ← Messages
      </Link>
      <PageHeader title={`Message to ${m.to}`}>
        <StatusBadge status={m.status} />
        {m.status === 'failed' && (
          <Button onClick={() => retry.mutate()} disabled={retry.isPending}>
            Retry
          </Button>
        )}
      </PageHeader>
      {retry.isError && <ErrorState error={retry.error} />}
      {m.error && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <strong>{m.error.code}</strong>: {m.error.message}
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-[1fr_1.5fr]">
        <Card title="Details">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {facts.map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="text-slate-600">{term}</dt>
                <dd className="font-mono text-xs break-all text-slate-900">{value}</dd>
              </div>
            ))}
            <dt className="text-slate-600">Id</dt>
            <dd className="font-mono text-xs break-all">{m.id}</dd>
          </dl>
          {Object.keys(m.metadata).length > 0 && (
            <pre tabIndex={0} aria-label="Metadata" className="mt-3 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
              {JSON.stringify(m.metadata, null, 2)}
            </pre>
          )}
        </Card>
        <Card title="Timeline">
          <Timeline events={m.events} />
        </Card>
      </div>
    </div>
  );
}
