import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@contracts/queues';
import { api } from '../api/client';
import type { CreatedWebhookEndpoint, WebhookEndpointView } from '../api/types';
import { ItemList, QueryState } from '../components/data';
import { Card, Empty, FormActions, PageHeader, SecretOnce, TextField } from '../components/ui';

export const webhooksKey = (projectId: string) => ['projects', projectId, 'webhooks'] as const;

/** Checkboxes for the events an endpoint receives. */
export function EventPicker({ value, onChange }: { value: WebhookEventType[]; onChange: (next: WebhookEventType[]) => void }) {
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium text-slate-800">Events</legend>
      <div className="flex flex-wrap gap-3">
        {WEBHOOK_EVENT_TYPES.map((event) => (
          <label key={event} className="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              checked={value.includes(event)}
              onChange={(e) => onChange(e.target.checked ? [...value, event] : value.filter((v) => v !== event))}
            />
            <span className="font-mono text-xs">{event}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function WebhooksScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/webhooks' });
  const queryClient = useQueryClient();
  const webhooks = useQuery({
    queryKey: webhooksKey(projectId),
    queryFn: () => api<{ data: WebhookEndpointView[] }>('GET', `/projects/${projectId}/webhooks`),
  });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['message.sent', 'message.delivered', 'message.failed']);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const create = useMutation({
    mutationFn: () => api<CreatedWebhookEndpoint>('POST', `/projects/${projectId}/webhooks`, { url, events }),
    onSuccess: (result) => {
      setCreated(result);
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: webhooksKey(projectId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Webhooks" />
      {created && (
        <div className="flex flex-col gap-2">
          <SecretOnce label="Signing secret" value={created.secret} onDone={() => setCreated(null)} />
          <Link
            to="/projects/$projectId/webhooks/$webhookId"
            params={{ projectId, webhookId: created.id }}
            className="text-sm text-indigo-800 underline"
          >
            Open the new endpoint to send a test event
          </Link>
        </div>
      )}
      <section aria-label="Your webhook endpoints">
        <QueryState
          query={webhooks}
          isEmpty={(list) => list.data.length === 0}
          empty={<Empty title="No webhook endpoints yet">MessageJS signs each delivery (Standard Webhooks) and retries for a day.</Empty>}
        >
          {(list) => (
            <ItemList
              items={list.data}
              link={(w) => (
                <Link
                  to="/projects/$projectId/webhooks/$webhookId"
                  params={{ projectId, webhookId: w.id }}
                  className="font-mono text-sm break-all text-indigo-800 hover:underline"
                >
                  {w.url}
                </Link>
              )}
              meta={(w) =>
                `${w.enabled ? 'enabled' : `disabled${w.disabledReason ? `: ${w.disabledReason}` : ''}`} · ${w.events.join(', ')}`
              }
            />
          )}
        </QueryState>
      </section>
      <Card title="New endpoint">
        <form onSubmit={submit} className="flex max-w-xl flex-col gap-3" aria-label="New webhook endpoint">
          <TextField
            label="Endpoint URL"
            type="url"
            required
            placeholder="https://example.com/webhooks/messagejs"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <EventPicker value={events} onChange={setEvents} />
          <FormActions mutation={create} label="Add endpoint" disabled={events.length === 0} />
        </form>
      </Card>
    </div>
  );
}
