import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { api } from '../api/client';
import type { TemplateView } from '../api/types';
import { ItemList, Pager, QueryState } from '../components/data';
import { Empty, PageHeader, formatTime } from '../components/ui';

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
      <QueryState
        query={templates}
        isEmpty={(page) => page.data.length === 0}
        empty={<Empty title="No templates yet">Templates keep message text with {'{{variables}}'} out of your code.</Empty>}
      >
        {(page) => (
          <>
            <ItemList
              items={page.data}
              link={(t) => (
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
              )}
              meta={(t) => `${t.channel ?? 'any channel'} · ${t.variables.length} variables · ${formatTime(t.updatedAt)}`}
            />
            <Pager label="Pages" cursor={cursor} nextCursor={page.nextCursor} first="First page" next="Next page" />
          </>
        )}
      </QueryState>
    </div>
  );
}
