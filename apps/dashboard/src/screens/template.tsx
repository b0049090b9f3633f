import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { CONNECTOR_TYPES } from '@contracts/connector-types';
import { api } from '../api/client';
import type { TemplateView } from '../api/types';
import { ConfirmButton } from '../components/confirm';
import { TemplatePreview } from '../components/template-preview';
import { Card, ErrorState, FormActions, Loading, PageHeader, SelectField, TextArea, TextField } from '../components/ui';

export function TemplateScreen() {
  const { projectId, templateId } = useParams({ from: '/signed-in/projects/$projectId/templates/$templateId' });
  const isNew = templateId === 'new';
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const template = useQuery({
    queryKey: ['projects', projectId, 'template', templateId],
    queryFn: () => api<TemplateView>('GET', `/projects/${projectId}/templates/${templateId}`),
    enabled: !isNew,
  });
  const [name, setName] = useState('');
  const [channel, setChannel] = useState('');
  const [content, setContent] = useState('');
  const [samples, setSamples] = useState<Record<string, string>>({});

  useEffect(() => {
    if (template.data) {
      setName(template.data.name);
      setChannel(template.data.channel ?? '');
      setContent(template.data.content);
    }
  }, [template.data]);

  const save = useMutation({
    mutationFn: () =>
      isNew
        ? api<TemplateView>('POST', `/projects/${projectId}/templates`, { name, content, ...(channel ? { channel } : {}) })
        : api<TemplateView>('PATCH', `/projects/${projectId}/templates/${templateId}`, { name, content, channel: channel || null }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'templates'] });
      queryClient.setQueryData(['projects', projectId, 'template', saved.id], saved);
      if (isNew) await navigate({ to: '/projects/$projectId/templates/$templateId', params: { projectId, templateId: saved.id } });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/projects/${projectId}/templates/${templateId}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'templates'] });
      await navigate({ to: '/projects/$projectId/templates', params: { projectId } });
    },
  });

  if (!isNew && template.isPending) return <Loading />;
  if (!isNew && template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <div className="flex flex-col gap-4">
      <Link to="/projects/$projectId/templates" params={{ projectId }} className="text-sm text-indigo-800 hover:underline">
        ← Templates
      </Link>
      <PageHeader title={isNew ? 'New template' : `Template ${template.data?.name ?? ''}`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Content">
          <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Template">
            <TextField
              label="Name"
              required
              maxLength={100}
              pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
              hint="Letters, digits, _ . and -; used as template.name when sending."
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <SelectField
              label="Channel"
              value={channel}
              onChange={(e) => setChannel(e.target.value)}
              options={[{ value: '', label: 'Any channel' }, ...CONNECTOR_TYPES.map((t) => ({ value: t, label: t }))]}
            />
            <TextArea
              label="Content"
              required
              rows={8}
              hint="Placeholders look like {{name}} or {{order.id}}."
              value={content}
              onChange={(e) => setContent(e.target.value)}
            />
            <FormActions mutation={save} label={isNew ? 'Create template' : 'Save template'} saved={isNew ? undefined : 'Saved.'} />
          </form>
          {!isNew && (
            <div className="mt-4">
              <ConfirmButton
                error={remove.error}
                label="Delete template"
                title="Delete this template?"
                description="Sends that name it will be refused."
                confirmLabel="Delete"
                onConfirm={() => remove.mutate()}
              />
            </div>
          )}
        </Card>
        <Card title="Preview">
          <TemplatePreview content={content} samples={samples} onSamplesChange={setSamples} />
        </Card>
      </div>
    </div>
  );
}
