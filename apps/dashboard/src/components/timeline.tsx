import type { MessageEvent } from '../api/types';
import { StatusBadge, formatTime } from './ui';

/** What the provider said on one attempt, in one line: `HTTP 400 · code 400 · Bad Request: chat not found`. */
export function providerSummary(event: MessageEvent): string | null {
  const p = event.provider;
  if (!p) return null;
  return [p.httpStatus !== undefined ? `HTTP ${p.httpStatus}` : '', p.code !== undefined ? `code ${p.code}` : '', p.message ?? '']
    .filter(Boolean)
    .join(' · ');
}

/** A message's history, oldest first: every status change and every attempt with the provider's answer. */
export function Timeline({ events }: { events: MessageEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events recorded yet.</p>;
  return (
    <ol aria-label="Timeline" className="relative ml-2 border-l border-slate-300">
      {events.map((event, i) => {
        const provider = providerSummary(event);
        return (
          <li key={`${event.at}-${i}`} className="mb-4 ml-4">
            <span
              aria-hidden
              className={`absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full ${event.provider ? 'bg-red-500' : 'bg-indigo-500'}`}
            />
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={event.status} />
              {event.attempt !== undefined && <span className="text-xs font-medium text-slate-700">attempt {event.attempt}</span>}
              <time dateTime={event.at} className="text-xs text-slate-600">
                {formatTime(event.at)}
              </time>
            </div>
            {event.detail && <p className="mt-1 text-sm text-slate-800">{event.detail}</p>}
            {provider && <p className="mt-1 font-mono text-xs text-red-800">Provider: {provider}</p>}
            {!provider && event.code && <p className="mt-1 font-mono text-xs text-slate-700">code {event.code}</p>}
          </li>
        );
      })}
    </ol>
  );
}
