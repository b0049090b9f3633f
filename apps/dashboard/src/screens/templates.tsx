import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { api } from '../api/client';
import type { TemplateView } from '../api/types';
import { Empty, ErrorState, Loading, PageHeader, formatTime } from '../components/ui';

/** Templates pages as `{data, nextCursor}`; a gateway that answers `{data}` only is one page. */
export function templatesPage(body: { data: TemplateView[]; nextCursor?: string | null }): {
  data: TemplateView[];
  nextCursor: string | null;
} {
  return { data: body.data, nextCursor: body.nextCursor ?? null };
}

export function TemplatesScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/templates' });
  const { cursor } = useSearch({ from: '/signed-in/projects/$projectId/templates' });
  const templates = useQuery({
    queryKey: ['projects', projectId, 'templates', cursor ?? null],
    queryFn: async () =>
      templatesPage(
        await api<{ data: TemplateView[]; nextCursor?: string | null }>(
          'GET',
          `/projects/${projectId}/templates?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ),
      ),
  });
  return (
    <div>
      <PageHeader title="Templates">
        <Link
          to="/projects/$projectId/templates/$templateId"
          params={{ projectId, templateId: 'new' }}
          className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800"
        >
          New template
        </Link>
      </PageHeader>
      {templates.isPending ? (
        <Loading />
      ) : templates.isError ? (
        <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
      ) : templates.data.data.length === 0 ? (
        <Empty title="No templates yet">Templates keep message text with {'{{variables}}'} out of your code.</Empty>
      ) : (
        <>
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {templates.data.data.map((t) => (
              <li key={t.id} className="flex items-center justify-between gap-2 p-3">
                <div className="min-w-0">
                  <Link
                    to="/projects/$projectId/templates/$templateId"
                    params={{ projectId, templateId: t.id }}
                    className="font-medium text-indigo-800 hover:underline"
                  >
                    {t.name}
                  </Link>
                  <p className="truncate text-xs text-slate-600">{t.content}</p>
                </div>
                <span className="text-xs whitespace-nowrap text-slate-600">
                  {t.channel ?? 'any channel'} · {t.variables.length} variables · {formatTime(t.updatedAt)}
                </span>
              </li>
            ))}
          </ul>
          <nav aria-label="Pages" className="mt-3 flex gap-3 text-sm">
            {cursor && (
              <Link from="/projects/$projectId/templates" search={{}} className="text-indigo-800 underline">
                First page
              </Link>
            )}
            {templates.data.nextCursor && (
              <Link
                from="/projects/$projectId/templates"
                search={{ cursor: templates.data.nextCursor }}
                className="text-indigo-800 underline"
              >
                Next page
              </Link>
            )}
          </nav>
        </>
      )}
    </div>
  );
}
