import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ProjectView } from '../api/types';
import { Button, Card, Empty, ErrorState, Loading, PageHeader, TextField, formatTime } from '../components/ui';

export const projectsKey = ['projects'] as const;

export function ProjectsScreen() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const projects = useQuery({ queryKey: projectsKey, queryFn: () => api<{ data: ProjectView[] }>('GET', '/projects') });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<ProjectView>('POST', '/projects', { name }),
    onSuccess: async (project) => {
      await queryClient.invalidateQueries({ queryKey: projectsKey });
      await navigate({ to: '/projects/$projectId/connectors', params: { projectId: project.id } });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <div>
      <PageHeader title="Projects" />
      <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
        <section aria-label="Your projects">
          {projects.isPending ? (
            <Loading />
          ) : projects.isError ? (
            <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />
          ) : projects.data.data.length === 0 ? (
            <Empty title="No projects yet">Create one to add connectors and API keys.</Empty>
          ) : (
            <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
              {projects.data.data.map((p) => (
                <li key={p.id} className="flex items-center justify-between p-3">
                  <Link
                    to="/projects/$projectId/messages"
                    params={{ projectId: p.id }}
                    className="font-medium text-indigo-800 hover:underline"
                  >
                    {p.name}
                  </Link>
                  <span className="text-xs text-slate-600">created {formatTime(p.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <Card title="New project">
          <form onSubmit={submit} className="flex flex-col gap-3" aria-label="New project">
            <TextField label="Project name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
            {create.isError && <ErrorState error={create.error} />}
            <Button type="submit" disabled={create.isPending}>
              Create project
            </Button>
          </form>
        </Card>
      </div>
    </div>
  );
}
