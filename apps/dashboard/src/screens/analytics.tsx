import { type ReactNode, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import type { AnalyticsView } from '../api/types';
import { CustomRange } from '../components/custom-range';
import { DataTable } from '../components/data';
import { Card, Empty, ErrorState, Loading, PageHeader, SelectField, formatTime } from '../components/ui';
import { useConnectors } from '../lib/connectors';
import { type AnalyticsSearch, TIME_RANGES, type TimeRange, analyticsQuery } from '../lib/search';

const SERIES = [
  ['queued', '#64748b'],
  ['sent', '#4f46e5'],
  ['delivered', '#16a34a'],
  ['read', '#0d9488'],
  ['failed', '#dc2626'],
] as const;

const RANGE_LABELS: Record<TimeRange, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

const ms = (value: number | null) => (value === null ? '—' : value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`);

export function AnalyticsScreen() {
  const { projectId } = useParams({ from: '/signed-in/projects/$projectId/analytics' });
  const search = useSearch({ from: '/signed-in/projects/$projectId/analytics' });
  const navigate = useNavigate({ from: '/projects/$projectId/analytics' });
  const connectors = useConnectors(projectId);
  const analytics = useQuery({
    queryKey: ['projects', projectId, 'analytics', search],
    queryFn: () => api<AnalyticsView>('GET', analyticsQuery(projectId, search)),
    refetchInterval: 15_000,
    placeholderData: (previous) => previous,
  });
  const set = (next: AnalyticsSearch) => void navigate({ search: next });
  // "Custom range…" picked but not applied yet: the URL still holds the preset until the user applies.
  const [picking, setPicking] = useState(false);
  const choice = picking ? 'custom' : search.range;
  const now = Date.now();
  const span =
    search.range === 'custom'
      ? { from: search.from, to: search.to }
      : { from: new Date(now - TIME_RANGES[search.range]).toISOString(), to: new Date(now).toISOString() };
  const label = (t: string) => {
    const d = new Date(t);
    // The data's own interval: while a new window loads, the previous answer is still on screen.
    return (analytics.data?.interval ?? search.interval) === 'day'
      ? d.toLocaleDateString()
      : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  };

  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Analytics" />
      <form aria-label="Analytics range" className="grid grid-cols-1 gap-3 sm:grid-cols-3" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Time range"
          value={choice}
          onChange={(e) => {
            const range = (Object.keys(TIME_RANGES) as TimeRange[]).find((r) => r === e.target.value);
            setPicking(!range);
            if (range) set({ range, interval: range === '7d' || range === '30d' ? 'day' : 'hour', connector: search.connector });
          }}
          options={[
            ...(Object.keys(TIME_RANGES) as TimeRange[]).map((r) => ({ value: r, label: RANGE_LABELS[r] })),
            { value: 'custom', label: 'Custom range…' },
          ]}
        />
        <SelectField
          label="Interval"
          value={search.interval}
          onChange={(e) => set({ ...search, interval: e.target.value as 'hour' | 'day' })}
          options={[
            { value: 'hour', label: 'Hourly' },
            { value: 'day', label: 'Daily' },
          ]}
        />
        <SelectField
          label="Connector"
          value={search.connector ?? ''}
          onChange={(e) => set({ ...search, connector: e.target.value || undefined })}
          options={[
            { value: '', label: 'All connectors' },
            ...(connectors.data?.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.type})` })),
          ]}
        />
      </form>
      {choice === 'custom' && (
        <CustomRange
          key={search.range === 'custom' ? `${search.from}-${search.to}` : 'preset'}
          value={span}
          onApply={(next) => {
            setPicking(false);
            set({ range: 'custom', ...next, connector: search.connector });
          }}
        />
      )}
      {analytics.isPending ? (
        <Loading />
      ) : analytics.isError ? (
        <ErrorState error={analytics.error} onRetry={() => void analytics.refetch()} />
      ) : analytics.data.series.every((p) => SERIES.every(([k]) => p[k] === 0)) && analytics.data.connectors.length === 0 ? (
        <Empty title="No messages in this range">Send a message, or pick a longer range.</Empty>
      ) : (
        <>
          <Card title="Volume by status">
            <figure aria-label="Messages per interval by status">
              <div className="h-72 w-full">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={analytics.data.series}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                    <XAxis dataKey="t" tickFormatter={label} fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip
                      labelFormatter={(t: ReactNode) => (typeof t === 'string' || typeof t === 'number' ? formatTime(String(t)) : t)}
                    />
                    <Legend />
                    {SERIES.map(([key, color]) => (
                      <Bar key={key} dataKey={key} fill={color} isAnimationActive={false} />
                    ))}
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <figcaption className="sr-only">
                Totals: {SERIES.map(([key]) => `${key} ${analytics.data.series.reduce((sum, p) => sum + p[key], 0)}`).join(', ')}
              </figcaption>
            </figure>
          </Card>
          <Card title="Connectors">
            {analytics.data.connectors.length === 0 ? (
              <p className="text-sm text-slate-600">No connector sent anything in this range.</p>
            ) : (
              <DataTable
                caption="Success rate and latency per connector"
                columns={['Connector', 'Accepted', 'Sent', 'Delivered', 'Failed', 'Success rate', 'p50 latency', 'p95 latency']}
                framed={false}
              >
                {analytics.data.connectors.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="p-2 text-left font-medium">
                      {c.name ?? '(deleted)'} <span className="text-xs text-slate-600">{c.type}</span>
                    </th>
                    <td className="p-2">{c.total}</td>
                    <td className="p-2">{c.sent}</td>
                    <td className="p-2">{c.delivered}</td>
                    <td className="p-2">{c.failed}</td>
                    <td className="p-2">{c.successRate === null ? '—' : `${(c.successRate * 100).toFixed(1)}%`}</td>
                    <td className="p-2">{ms(c.latencyMs.p50)}</td>
                    <td className="p-2">{ms(c.latencyMs.p95)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Card>
          <Card title="Top error codes">
            {analytics.data.topErrors.length === 0 ? (
              <p className="text-sm text-slate-600">No errors in this range.</p>
            ) : (
              <DataTable caption="Most frequent error codes" columns={['Code', 'Count', 'Last seen']} framed={false}>
                {analytics.data.topErrors.map((e) => (
                  <tr key={e.code}>
                    <td className="p-2 font-mono">{e.code}</td>
                    <td className="p-2">{e.count}</td>
                    <td className="p-2 text-xs">{formatTime(e.lastAt)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
