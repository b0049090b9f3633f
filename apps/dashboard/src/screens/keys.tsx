import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ApiKeyView, RpcReply } from '../api/types';
import { EditKeyButton, FormProblem, type KeyRules, PublicKeyFields, checkKeyRules, keyRulesBody } from '../components/api-key-form';
import { ConfirmButton } from '../components/confirm';
import { KeySnippet } from '../components/key-snippet';
import { DataTable, QueryState } from '../components/data';
import {
  Card,
  Empty,
  ErrorState,
  FormActions,
  PageHeader,
  SecretOnce,
  SelectField,
  fieldErrors,
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
  const [rules, setRules] = useState<KeyRules>({ origins: '', dailyLimit: '' });
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<RpcReply<'apiKeys.create'> | null>(null);

  const create = useMutation({
    mutationFn: () =>
      api<RpcReply<'apiKeys.create'>>('POST', `/projects/${projectId}/keys`, {
        name,
        type,
        ...(type === 'public' ? keyRulesBody(rules) : {}),
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

  const errors = { ...fieldErrors(create.error), ...checked };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = type === 'public' ? checkKeyRules(rules, false) : {};
    setChecked(found);
    create.reset();
    if (Object.keys(found).length === 0) create.mutate();
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
        <QueryState
          query={keys}
          isEmpty={(page) => page.data.length === 0}
          empty={<Empty title="No API keys yet">Create a secret key for your servers, or a public key for browsers.</Empty>}
        >
          {(page) => (
            <DataTable caption="API keys" columns={['Name', 'Type', 'Key', 'Last used', 'Created']} actions>
              {page.data.map((k) => (
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
                      <div className="flex justify-end gap-2">
                        <EditKeyButton projectId={projectId} apiKey={k} />
                        <ConfirmButton
                          label={`Revoke ${k.name}`}
                          title={`Revoke ${k.name}?`}
                          description="Every request with this key is refused within a second. This cannot be undone."
                          confirmLabel="Revoke key"
                          onConfirm={() => revoke.mutate(k.id)}
                        />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </QueryState>
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
            <PublicKeyFields
              value={rules}
              onChange={setRules}
              errors={errors}
              capHint="Messages per UTC day this key may send; empty for the default."
            />
          )}
          <FormActions mutation={create} label="Create key" problem={<FormProblem error={create.error} fields={errors} />} />
        </form>
      </Card>
    </div>
  );
}
