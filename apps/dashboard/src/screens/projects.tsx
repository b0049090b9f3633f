import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { ProjectView } from '../api/types';
import { ItemList, QueryState } from '../components/data';
import { Card, Empty, FormActions, PageHeader, TextField, formatTime } from '../components/ui';

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
          <QueryState
            query={projects}
            isEmpty={(list) => list.data.length === 0}
            empty={<Empty title="No projects yet">Create one to add connectors and API keys.</Empty>}
          >
            {(list) => (
              <ItemList
                items={list.data}
                link={(p) => (
                  <Link
                    to="/projects/$projectId/messages"
                    params={{ projectId: p.id }}
                    className="font-medium text-indigo-800 hover:underline"
                  >
                    {p.name}
                  </Link>
                )}
                meta={(p) => `created ${formatTime(p.createdAt)}`}
              />
            )}
          </QueryState>
        </section>
        <Card title="New project">
          <form onSubmit={submit} className="flex flex-col gap-3" aria-label="New project">
            <TextField label="Project name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
            <FormActions mutation={create} label="Create project" />
          </form>
        </Card>
      </div>
    </div>
  );
}
