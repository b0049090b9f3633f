import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useParams } from '@tanstack/react-router';
import { api } from '../api/client';
import type { ProjectView } from '../api/types';
import { ErrorState } from '../components/ui';

const SECTIONS = [
  ['messages', 'Messages'],
  ['analytics', 'Analytics'],
  ['connectors', 'Connectors'],
  ['keys', 'API keys'],
  ['templates', 'Templates'],
  ['webhooks', 'Webhooks'],
  ['settings', 'Settings'],
] as const;

export function useProject(projectId: string) {
  return useQuery({ queryKey: ['projects', projectId], queryFn: () => api<ProjectView>('GET', `/projects/${projectId}`) });
}

export function ProjectLayout() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId' });
  const project = useProject(projectId);
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <nav aria-label="Project" className="flex flex-col gap-1 text-sm">
        <Link to="/projects" className="mb-2 text-xs text-slate-600 hover:underline">
          ← All projects
        </Link>
        <p className="mb-2 truncate font-semibold text-slate-900">{project.data?.name ?? '…'}</p>
        {SECTIONS.map(([path, label]) => (
          <Link
            key={path}
            to={`/projects/$projectId/${path}`}
            params={{ projectId }}
            className="rounded-md px-2 py-1.5 text-slate-700 hover:bg-slate-100"
            activeProps={{ className: 'bg-indigo-50 font-medium text-indigo-900', 'aria-current': 'page' }}
          >
            {label}
          </Link>
        ))}
      </nav>
      <div className="min-w-0">
        {project.isError ? <ErrorState error={project.error} onRetry={() => void project.refetch()} /> : <Outlet />}
      </div>
    </div>
  );
}
