import { Link, useParams } from '@tanstack/react-router';
import { CONNECTOR_TYPES } from '@contracts/connector-types';
import { Empty, ErrorState, Loading, PageHeader, formatTime } from '../components/ui';
import { CONNECTOR_FORMS } from '../lib/connector-forms';
import { useConnectors } from '../lib/connectors';

export function ConnectorsScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/connectors' });
  const connectors = useConnectors(projectId);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Connectors" />
      <section aria-label="Your connectors">
        {connectors.isPending ? (
          <Loading />
        ) : connectors.isError ? (
          <ErrorState error={connectors.error} onRetry={() => void connectors.refetch()} />
        ) : connectors.data.data.length === 0 ? (
          <Empty title="No connectors yet">A connector holds a provider's credentials; add one below to start sending.</Empty>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {connectors.data.data.map((c) => (
              <li key={c.id} className="flex items-center justify-between p-3">
                <Link
                  to="/projects/$projectId/connectors/$connectorId"
                  params={{ projectId, connectorId: c.id }}
                  className="font-medium text-indigo-800 hover:underline"
                >
                  {c.name}
                </Link>
                <span className="text-xs text-slate-600">
                  {CONNECTOR_FORMS[c.type].title} · added {formatTime(c.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="add-connector">
        <h2 id="add-connector" className="mb-2 text-base font-semibold">
          Add a connector
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {CONNECTOR_TYPES.map((type) => (
            <Link
              key={type}
              to="/projects/$projectId/connectors/new"
              params={{ projectId }}
              search={{ type }}
              className="rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-400"
            >
              <span className="font-medium text-slate-900">Add {CONNECTOR_FORMS[type].title}</span>
            </Link>
          ))}
        </div>
      </section>
    </div>
  );
}
