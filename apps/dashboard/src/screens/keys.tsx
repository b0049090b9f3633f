import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ApiKeyView, RpcReply } from '../api/types';
import { ConfirmButton } from '../components/confirm';
import { KeySnippet } from '../components/key-snippet';
import {
  Button,
  Card,
  Empty,
  ErrorState,
  Loading,
  PageHeader,
  SecretOnce,
  SelectField,
  TextArea,
  TextField,
  formatTime,
} from '../components/ui';

export function KeysScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/keys' });
  const queryClient = useQueryClient();
  const key = ['projects', projectId, 'keys'];
  const keys = useQuery({ queryKey: key, queryFn: () => api<{ data: ApiKeyView[] }>('GET', `/projects/${projectId}/keys`) });
  const [name, setName] = useState('');
  const [type, setType] = useState<'secret' | 'public'>('secret');
  const [origins, setOrigins] = useState('');
  const [dailyLimit, setDailyLimit] = useState('');
  const [created, setCreated] = useState<RpcReply<'apiKeys.create'> | null>(null);

  const create = useMutation({
    mutationFn: () =>
      api<RpcReply<'apiKeys.create'>>('POST', `/projects/${projectId}/keys`, {
        name,
        type,
        ...(type === 'public'
          ? {
              allowedOrigins: origins
                .split(/[\s,]+/)
                .map((o) => o.trim())
                .filter(Boolean),
              ...(dailyLimit ? { dailyLimit: Number(dailyLimit) } : {}),
            }
          : {}),
      }),
    onSuccess: (result) => {
      setCreated(result);
      setName('');
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/projects/${projectId}/keys/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="API keys" />
      {created && (
        <div>
          <SecretOnce label={`API key ${created.name}`} value={created.key} onDone={() => setCreated(null)} />
          <KeySnippet projectId={projectId} apiKey={created.key} publicKey={created.type === 'public'} />
        </div>
      )}
      <section aria-label="Your API keys">
        {keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.data.length === 0 ? (
          <Empty title="No API keys yet">Create a secret key for your servers, or a public key for browsers.</Empty>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API keys</caption>
              <thead className="bg-slate-50 text-xs text-slate-700 uppercase">
                <tr>
                  <th scope="col" className="p-2">
                    Name
                  </th>
                  <th scope="col" className="p-2">
                    Type
                  </th>
                  <th scope="col" className="p-2">
                    Key
                  </th>
                  <th scope="col" className="p-2">
                    Last used
                  </th>
                  <th scope="col" className="p-2">
                    Created
                  </th>
                  <th scope="col" className="p-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.data.data.map((k) => (
                  <tr key={k.id}>
                    <td className="p-2 font-medium">{k.name}</td>
                    <td className="p-2">
                      {k.type}
                      {k.type === 'public' && k.allowedOrigins?.length ? (
                        <span className="block text-xs text-slate-600">{k.allowedOrigins.join(', ')}</span>
                      ) : null}
                      {k.dailyLimit !== null && <span className="block text-xs text-slate-600">{k.dailyLimit} / day</span>}
                    </td>
                    <td className="p-2 font-mono text-xs">{k.prefix}…</td>
                    <td className="p-2 text-xs">{k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>
                    <td className="p-2 text-xs">{formatTime(k.createdAt)}</td>
                    <td className="p-2 text-right">
                      {k.revokedAt ? (
                        <span className="text-xs text-slate-600">revoked {formatTime(k.revokedAt)}</span>
                      ) : (
                        <ConfirmButton
                          label={`Revoke ${k.name}`}
                          title={`Revoke ${k.name}?`}
                          description="Every request with this key is refused within a second. This cannot be undone."
                          confirmLabel="Revoke key"
                          onConfirm={() => revoke.mutate(k.id)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoke.isError && <ErrorState error={revoke.error} />}
      </section>
      <Card title="New API key">
        <form onSubmit={submit} className="flex max-w-xl flex-col gap-3" aria-label="New API key">
          <TextField
            label="Key name"
            required
            maxLength={100}
            hint="Where it is used, e.g. production server."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <SelectField
            label="Key type"
            value={type}
            onChange={(e) => setType(e.target.value as 'secret' | 'public')}
            options={[
              { value: 'secret', label: 'Secret (servers): mjs_sk_…' },
              { value: 'public', label: 'Public (browsers): mjs_pk_…' },
            ]}
          />
          {type === 'public' && (
            <>
              <TextArea
                label="Allowed origins"
                rows={3}
                hint="One per line, e.g. https://shop.example.com. Browsers on other origins are refused."
                value={origins}
                onChange={(e) => setOrigins(e.target.value)}
              />
              <TextField
                label="Daily cap"
                type="number"
                min={1}
                hint="Messages per UTC day this key may send; empty for the default."
                value={dailyLimit}
                onChange={(e) => setDailyLimit(e.target.value)}
              />
            </>
          )}
          {create.isError && <ErrorState error={create.error} />}
          <div>
            <Button type="submit" disabled={create.isPending}>
              Create key
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
