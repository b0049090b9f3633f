import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { WebhookDeliveryPage, WebhookEndpointView } from '../api/types';
import { ConfirmButton } from '../components/confirm';
import { DataTable, Pager } from '../components/data';
import {
  Button,
  Card,
  Empty,
  ErrorState,
  FormActions,
  Loading,
  Notice,
  PageHeader,
  SecretOnce,
  StatusBadge,
  TextField,
  formatTime,
} from '../components/ui';
import { EventPicker, webhooksKey } from './webhooks';

function Deliveries({ projectId, webhookId }: { projectId: string; webhookId: string }) {
  // The page lives in the URL, so back, forward and reload keep it.
  const { cursor } = useSearch({ from: '/signed-in/projects/$projectId/webhooks/$webhookId' });
  const queryClient = useQueryClient();
  const key = ['projects', projectId, 'webhook', webhookId, 'deliveries', cursor ?? null];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () =>
      api<WebhookDeliveryPage>(
        'GET',
        `/projects/${projectId}/webhooks/${webhookId}/deliveries?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    refetchInterval: cursor ? false : 3_000,
    placeholderData: (previous) => previous,
  });
  const replay = useMutation({
    mutationFn: (deliveryId: string) =>
      api<unknown>('POST', `/projects/${projectId}/webhooks/${webhookId}/deliveries/${deliveryId}/replay`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'webhook', webhookId, 'deliveries'] }),
  });
  if (deliveries.isPending) return <Loading />;
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.data.data.length === 0)
    return <Empty title="No deliveries yet">Send a test event, or a message with a subscribed status.</Empty>;
  return (
    <>
      {replay.isError && <ErrorState error={replay.error} />}
      {replay.isSuccess && <Notice tone="success">Replay queued: it appears here in a moment.</Notice>}
      <DataTable
        caption="Deliveries, newest first"
        columns={['When', 'Event', 'Status', 'HTTP', 'Duration', 'Next retry']}
        actions
        framed={false}
      >
        {deliveries.data.data.map((d) => (
          <tr key={d.id}>
            <td className="p-2 text-xs whitespace-nowrap">{formatTime(d.createdAt)}</td>
            <td className="p-2 font-mono text-xs">
              {d.eventType}
              {d.replay > 0 && <span className="ml-1 text-slate-600">(replay {d.replay})</span>}
              <span className="ml-1 text-slate-600">#{d.attempt}</span>
            </td>
            <td className="p-2">
              <StatusBadge status={d.status} />
              {d.error && <span className="block text-xs text-red-800">{d.error}</span>}
            </td>
            <td className="p-2">{d.responseStatus ?? '—'}</td>
            <td className="p-2">{d.durationMs !== null ? `${d.durationMs} ms` : '—'}</td>
            <td className="p-2 text-xs">{d.nextAttemptAt ? formatTime(d.nextAttemptAt) : '—'}</td>
            <td className="p-2 text-right">
              <Button
                variant="secondary"
                onClick={() => replay.mutate(d.id)}
                disabled={replay.isPending}
                aria-label={`Replay ${d.eventType} delivery of ${formatTime(d.createdAt)}`}
              >
                Replay
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      <Pager label="Delivery pages" cursor={cursor} nextCursor={deliveries.data.nextCursor} first="Newest" next="Older deliveries" />
    </>
  );
}

function EndpointSettings({ projectId, webhook }: { projectId: string; webhook: WebhookEndpointView }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(webhook.url);
  const [events, setEvents] = useState(webhook.events);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<WebhookEndpointView>('PATCH', `/projects/${projectId}/webhooks/${webhook.id}`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(['projects', projectId, 'webhook', webhook.id], updated);
      void queryClient.invalidateQueries({ queryKey: webhooksKey(projectId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ url, events });
  };
  return (
    <Card title="Endpoint">
      {!webhook.enabled && (
        <div className="mb-3 flex flex-wrap items-center gap-2">
          <Notice tone="warning">Disabled{webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}. Nothing is delivered.</Notice>
          <Button variant="secondary" onClick={() => save.mutate({ enabled: true })}>
            Enable again
          </Button>
        </div>
      )}
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Endpoint settings">
        <TextField label="Endpoint URL" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        <EventPicker value={events} onChange={setEvents} />
        <FormActions mutation={save} label="Save endpoint" saved="Saved." disabled={events.length === 0} />
      </form>
    </Card>
  );
}

export function WebhookScreen() {
  const { projectId, webhookId } = useParams({ from: '/signed-in/projects/$projectId/webhooks/$webhookId' });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [secret, setSecret] = useState<{ secret: string; previousSecretExpiresAt: string } | null>(null);
  const webhook = useQuery({
    queryKey: ['projects', projectId, 'webhook', webhookId],
    queryFn: () => api<WebhookEndpointView>('GET', `/projects/${projectId}/webhooks/${webhookId}`),
  });
  const test = useMutation({
    mutationFn: () => api<unknown>('POST', `/projects/${projectId}/webhooks/${webhookId}/test`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'webhook', webhookId, 'deliveries'] }),
  });
  const rotate = useMutation({
    mutationFn: () =>
      api<{ secret: string; previousSecretExpiresAt: string }>('POST', `/projects/${projectId}/webhooks/${webhookId}/rotate-secret`),
    onSuccess: (result) => {
      setSecret(result);
      void queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'webhook', webhookId], exact: true });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/projects/${projectId}/webhooks/${webhookId}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: webhooksKey(projectId) });
      await navigate({ to: '/projects/$projectId/webhooks', params: { projectId } });
    },
  });
  if (webhook.isPending) return <Loading />;
  if (webhook.isError) return <ErrorState error={webhook.error} onRetry={() => void webhook.refetch()} />;
  const w = webhook.data;
  return (
    <div className="flex flex-col gap-4">
      <Link to="/projects/$projectId/webhooks" params={{ projectId }} className="text-sm text-indigo-800 hover:underline">
        ← Webhooks
      </Link>
      <PageHeader title="Webhook endpoint">
        <Button onClick={() => test.mutate()} disabled={test.isPending}>
          Send test event
        </Button>
      </PageHeader>
      <p className="font-mono text-sm break-all">{w.url}</p>
      {test.isError && <ErrorState error={test.error} />}
      {test.isSuccess && <Notice tone="success">Test event queued: a webhook.test delivery appears below.</Notice>}
      {secret && (
        <SecretOnce
          label={`New signing secret (the old one also signs until ${formatTime(secret.previousSecretExpiresAt)})`}
          value={secret.secret}
          onDone={() => setSecret(null)}
        />
      )}
      <Card title="Deliveries">
        <Deliveries projectId={projectId} webhookId={webhookId} />
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <EndpointSettings key={w.id} projectId={projectId} webhook={w} />
        <Card title="Signing secret">
          <p className="mb-3 text-sm text-slate-700">
            Rotating makes a new secret. For 24 hours deliveries carry signatures by both, so receivers can switch without missing one.
            {w.previousSecretExpiresAt && ` The previous secret signs until ${formatTime(w.previousSecretExpiresAt)}.`}
          </p>
          <ConfirmButton
            error={rotate.error}
            label="Rotate secret"
            title="Rotate the signing secret?"
            description="The new secret is shown once. The current one keeps signing for 24 hours."
            confirmLabel="Rotate"
            onConfirm={() => rotate.mutate()}
          />
          <div className="mt-6 border-t border-slate-200 pt-4">
            <ConfirmButton
              error={remove.error}
              label="Delete endpoint"
              title="Delete this endpoint?"
              description="Nothing more is delivered to it; its delivery log goes too."
              confirmLabel="Delete"
              onConfirm={() => remove.mutate()}
            />
          </div>
        </Card>
      </div>
    </div>
  );
}
