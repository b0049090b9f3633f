import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { CONNECTOR_TYPES, type ConnectorType } from '@contracts/connector-types';
import { api } from '../api/client';
import type { ConnectorView } from '../api/types';
import { ConfirmButton } from '../components/confirm';
import { ConnectorFields, ThroughputFields, throughputConfig } from '../components/connector-fields';
import { Button, Card, CopyButton, ErrorState, FormActions, Loading, Notice, PageHeader, TextField } from '../components/ui';
import { CONNECTOR_FORMS, connectorBody, type FieldValues } from '../lib/connector-forms';
import { connectorsKey } from '../lib/connectors';

const asType = (value: string | undefined): ConnectorType => CONNECTOR_TYPES.find((t) => t === value) ?? 'telegram';

export function NewConnectorScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/connectors/new' });
  const search = useSearch({ from: '/signed-in/projects/$projectId/connectors/new' });
  const type = asType(search.type);
  const form = CONNECTOR_FORMS[type];
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [values, setValues] = useState<FieldValues>({});
  const [throughput, setThroughput] = useState({ maxPerSecond: '', maxConcurrent: '' });
  const create = useMutation({
    mutationFn: () => {
      const { credentials, config } = connectorBody(type, values);
      return api<ConnectorView>('POST', `/projects/${projectId}/connectors`, {
        type,
        name,
        credentials,
        config: { ...config, ...throughputConfig(throughput) },
      });
    },
    onSuccess: async (connector) => {
      await queryClient.invalidateQueries({ queryKey: connectorsKey(projectId) });
      await navigate({ to: '/projects/$projectId/connectors/$connectorId', params: { projectId, connectorId: connector.id } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <Link to="/projects/$projectId/connectors" params={{ projectId }} className="text-sm text-indigo-800 hover:underline">
        ← Connectors
      </Link>
      <PageHeader title={`Add ${form.title}`} />
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4" aria-label={`Add ${form.title}`}>
          <TextField
            label="Connector name"
            required
            maxLength={100}
            hint="For you: shown in the log and in analytics."
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <ConnectorFields fields={form.fields} values={values} onChange={setValues} />
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-semibold">Throughput</legend>
            <ThroughputFields values={throughput} onChange={setThroughput} />
          </fieldset>
          <FormActions mutation={create} label="Add connector" />
        </form>
      </Card>
    </div>
  );
}

function VerifyCard({ projectId, connector }: { projectId: string; connector: ConnectorView }) {
  const verify = useMutation({
    mutationFn: () => api<{ ok: true; identity?: string }>('POST', `/projects/${projectId}/connectors/${connector.id}/verify`),
  });
  return (
    <Card title="Verify">
      <p className="mb-3 text-sm text-slate-700">
        Asks the provider whether the stored credentials work (Telegram getMe, the WhatsApp phone number, the Twilio account, an SMTP
        login).
      </p>
      <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : 'Verify credentials'}
      </Button>
      <div className="mt-3">
        {verify.isSuccess && (
          <Notice tone="success">The provider accepted the credentials{verify.data.identity ? `: ${verify.data.identity}` : ''}.</Notice>
        )}
        {verify.isError && <ErrorState error={verify.error} />}
      </div>
    </Card>
  );
}

function TestMessageCard({ projectId, connector }: { projectId: string; connector: ConnectorView }) {
  const [to, setTo] = useState('');
  const [text, setText] = useState('Hello from MessageJS');
  const send = useMutation({
    mutationFn: () =>
      api<{ id: string; status: string }>('POST', '/messages', {
        projectId,
        connector: connector.id,
        to,
        message: text,
        ...(connector.type === 'smtp' ? { subject: 'MessageJS test message' } : {}),
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <Card title="Send a test message">
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Send a test message">
        <TextField
          label="Recipient"
          required
          hint={CONNECTOR_FORMS[connector.type].recipientHint}
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
        <TextField label="Text" required value={text} onChange={(e) => setText(e.target.value)} />
        <FormActions
          mutation={send}
          label="Send test message"
          saved={
            send.data && (
              <>
                Accepted (status {send.data.status}).{' '}
                <Link to="/projects/$projectId/messages/$messageId" params={{ projectId, messageId: send.data.id }} className="underline">
                  Follow the message
                </Link>
              </>
            )
          }
        />
      </form>
    </Card>
  );
}

function SettingsCard({ projectId, connector }: { projectId: string; connector: ConnectorView }) {
  const queryClient = useQueryClient();
  const form = CONNECTOR_FORMS[connector.type];
  const [name, setName] = useState(connector.name);
  const [values, setValues] = useState<FieldValues>({});
  const str = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  const configText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
  const [throughput, setThroughput] = useState({
    maxPerSecond: str(connector.config.maxPerSecond),
    maxConcurrent: str(connector.config.maxConcurrent),
  });
  useEffect(() => setName(connector.name), [connector.name]);
  const configFields = form.fields.filter((f) => f.in === 'config');
  const credentialFields = form.fields.filter((f) => f.in === 'credentials');
  const [configValues, setConfigValues] = useState<FieldValues>(() =>
    Object.fromEntries(configFields.map((f) => [f.key, configText(connector.config[f.key])])),
  );

  const save = useMutation({
    mutationFn: () => {
      const { credentials } = connectorBody(connector.type, values);
      const { config } = connectorBody(connector.type, configValues);
      const { maxPerSecond: _p, maxConcurrent: _c, ...kept } = connector.config;
      for (const f of configFields) delete kept[f.key];
      const body: Record<string, unknown> = { name, config: { ...kept, ...config, ...throughputConfig(throughput) } };
      if (Object.keys(credentials).length) body.credentials = credentials;
      return api<ConnectorView>('PATCH', `/projects/${projectId}/connectors/${connector.id}`, body);
    },
    onSuccess: (updated) => {
      setValues({});
      queryClient.setQueryData(['projects', projectId, 'connector', connector.id], updated);
      void queryClient.invalidateQueries({ queryKey: connectorsKey(projectId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Card title="Settings">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Connector settings">
        <TextField label="Connector name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-semibold">Throughput</legend>
          <ThroughputFields values={throughput} onChange={setThroughput} />
        </fieldset>
        {configFields.length > 0 && <ConnectorFields fields={configFields} values={configValues} onChange={setConfigValues} />}
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-1 text-sm font-semibold">Replace credentials</legend>
          <p className="text-xs text-slate-600">
            Credentials are write-only: they are never shown again. Fill these only to replace them all.
          </p>
          <ConnectorFields
            fields={credentialFields}
            values={values}
            onChange={setValues}
            requireSecrets={Object.values(values).some((v) => v !== '' && v !== false)}
          />
        </fieldset>
        <FormActions mutation={save} label="Save connector" saved="Saved." />
      </form>
    </Card>
  );
}

export function ConnectorScreen() {
  const { projectId, connectorId } = useParams({ from: '/signed-in/projects/$projectId/connectors/$connectorId' });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const connector = useQuery({
    queryKey: ['projects', projectId, 'connector', connectorId],
    queryFn: () => api<ConnectorView>('GET', `/projects/${projectId}/connectors/${connectorId}`),
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/projects/${projectId}/connectors/${connectorId}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: connectorsKey(projectId) });
      await navigate({ to: '/projects/$projectId/connectors', params: { projectId } });
    },
  });
  if (connector.isPending) return <Loading />;
  if (connector.isError) return <ErrorState error={connector.error} onRetry={() => void connector.refetch()} />;
  const c = connector.data;
  const receipts = c.type === 'twilio' || c.type === 'whatsapp';
  return (
    <div className="flex flex-col gap-4">
      <Link to="/projects/$projectId/connectors" params={{ projectId }} className="text-sm text-indigo-800 hover:underline">
        ← Connectors
      </Link>
      <PageHeader title={c.name}>
        <span className="text-sm text-slate-600">{CONNECTOR_FORMS[c.type].title}</span>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <VerifyCard projectId={projectId} connector={c} />
        <TestMessageCard projectId={projectId} connector={c} />
        <Card title="Callback URL">
          {c.callbackUrl ? (
            <>
              <p className="mb-2 text-sm text-slate-700">
                {c.type === 'twilio'
                  ? 'Paste it as the Status Callback URL of your Messaging Service or number in the Twilio Console.'
                  : 'Paste it as the Callback URL in WhatsApp → Configuration → Webhook, with your verify token.'}
              </p>
              <div className="flex flex-wrap items-center gap-2">
                <code className="rounded bg-slate-50 px-2 py-1 font-mono text-xs break-all">{c.callbackUrl}</code>
                <CopyButton value={c.callbackUrl} label="Copy URL" />
              </div>
            </>
          ) : (
            <p className="text-sm text-slate-700">
              {receipts
                ? 'The platform has no PUBLIC_URL, so it cannot build the URL providers should call with receipts. Set PUBLIC_URL to the address the internet reaches the gateway at.'
                : `${CONNECTOR_FORMS[c.type].title} sends no delivery receipts: nothing to paste.`}
            </p>
          )}
        </Card>
        <Card title="Danger zone">
          <ConfirmButton
            error={remove.error}
            label="Delete connector"
            title={`Delete ${c.name}?`}
            description="Messages naming it will be refused. Its history stays in the log."
            confirmLabel="Delete"
            onConfirm={() => remove.mutate()}
          />
        </Card>
      </div>
      <SettingsCard key={c.id} projectId={projectId} connector={c} />
    </div>
  );
}
