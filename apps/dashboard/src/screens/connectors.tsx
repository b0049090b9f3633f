import { Link, useParams } from '@tanstack/react-router';
import { CONNECTOR_TYPES } from '@contracts/connector-types';
import { ItemList, QueryState } from '../components/data';
import { Empty, PageHeader, formatTime } from '../components/ui';
import { CONNECTOR_FORMS } from '../lib/connector-forms';
import { useConnectors } from '../lib/connectors';

export function ConnectorsScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/connectors' });
  const connectors = useConnectors(projectId);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Connectors" />
      <section aria-label="Your connectors">
        <QueryState
          query={connectors}
          isEmpty={(list) => list.data.length === 0}
          empty={<Empty title="No connectors yet">A connector holds a provider&apos;s credentials; add one below to start sending.</Empty>}
        >
          {(list) => (
            <ItemList
              items={list.data}
              link={(c) => (
                <Link
                  to="/projects/$projectId/connectors/$connectorId"
                  params={{ projectId, connectorId: c.id }}
                  className="font-medium text-indigo-800 hover:underline"
                >
                  {c.name}
                </Link>
              )}
              meta={(c) => `${CONNECTOR_FORMS[c.type].title} · added ${formatTime(c.createdAt)}`}
            />
          )}
        </QueryState>
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
