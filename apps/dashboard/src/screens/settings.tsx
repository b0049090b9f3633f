import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ProjectView } from '../api/types';
import { ConfirmButton } from '../components/confirm';
import { Card, ErrorState, FormActions, Loading, PageHeader, TextField } from '../components/ui';
import { useProject } from './project-layout';

export function SettingsScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/settings' });
  const project = useProject(projectId);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');

  useEffect(() => {
    if (project.data) {
      setName(project.data.name);
      setRate(project.data.rateLimitPerSecond === null ? '' : String(project.data.rateLimitPerSecond));
    }
  }, [project.data]);

  const save = useMutation({
    mutationFn: () => api<ProjectView>('PATCH', `/projects/${projectId}`, { name, rateLimitPerSecond: rate === '' ? null : Number(rate) }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['projects', projectId], updated);
      void queryClient.invalidateQueries({ queryKey: ['projects'], exact: true });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/projects/${projectId}`),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['projects', projectId] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      await navigate({ to: '/projects' });
    },
  });

  if (project.isPending) return <Loading />;
  if (project.isError) return <ErrorState error={project.error} onRetry={() => void project.refetch()} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <div className="flex max-w-xl flex-col gap-6">
      <PageHeader title="Settings" />
      <Card title="Project">
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Project settings">
          <TextField label="Project name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <TextField
            label="Rate limit (requests per second per API key)"
            type="number"
            min={1}
            inputMode="numeric"
            hint="Leave empty for the platform default. The operator's PROJECT_MAX_RATE_LIMIT caps it."
            value={rate}
            onChange={(e) => setRate(e.target.value)}
          />
          <FormActions mutation={save} label="Save settings" saved="Saved." />
        </form>
      </Card>
      <Card title="Danger zone">
        <p className="mb-3 text-sm text-slate-700">
          Deleting the project removes its connectors, keys, templates, webhooks and message history.
        </p>
        <ConfirmButton
          error={remove.error}
          label="Delete project"
          title={`Delete ${project.data.name}?`}
          description="Its API keys stop working at once. This cannot be undone."
          confirmLabel="Delete for good"
          onConfirm={() => remove.mutate()}
          disabled={remove.isPending}
        />
      </Card>
    </div>
  );
}
