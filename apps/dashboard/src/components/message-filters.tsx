import { type FormEvent, useEffect, useState } from 'react';
import { MESSAGE_STATUSES } from '@contracts/message-status';
import type { ConnectorView } from '../api/types';
import type { MessageSearch } from '../lib/search';
import { Button, SelectField, TextField } from './ui';

/** `2026-11-30T09:15` in the browser's time zone, as <input type="datetime-local"> shows it. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const fromLocalInput = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

/**
 * The log's filters. They live in the URL: this form shows `value` (parsed from the URL) and hands
 * every change to `onChange`, which navigates; the cursor resets because a new filter is a new list.
 */
export function MessageFilters({
  value,
  connectors,
  onChange,
}: {
  value: MessageSearch;
  connectors: ConnectorView[];
  onChange: (next: MessageSearch) => void;
}) {
  const [to, setTo] = useState(value.to ?? '');
  const [since, setSince] = useState(toLocalInput(value.since));
  const [until, setUntil] = useState(toLocalInput(value.until));
  useEffect(() => {
    setTo(value.to ?? '');
    setSince(toLocalInput(value.since));
    setUntil(toLocalInput(value.until));
  }, [value.to, value.since, value.until]);

  const apply = (patch: Partial<MessageSearch>) => {
    const next: MessageSearch = {
      status: value.status,
      connector: value.connector,
      to: to.trim() || undefined,
      since: fromLocalInput(since),
      until: fromLocalInput(until),
      ...patch,
    };
    delete next.cursor;
    onChange(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== '')));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({});
  };

  return (
    <form role="search" aria-label="Filter messages" onSubmit={submit} className="mb-4 grid grid-cols-2 items-end gap-3 md:grid-cols-6">
      <SelectField
        label="Status"
        value={value.status ?? ''}
        onChange={(e) => apply({ status: (e.target.value || undefined) as MessageSearch['status'] })}
        options={[{ value: '', label: 'Any status' }, ...MESSAGE_STATUSES.map((s) => ({ value: s, label: s }))]}
      />
      <SelectField
        label="Connector"
        value={value.connector ?? ''}
        onChange={(e) => apply({ connector: e.target.value || undefined })}
        options={[{ value: '', label: 'Any connector' }, ...connectors.map((c) => ({ value: c.id, label: `${c.name} (${c.type})` }))]}
      />
      <TextField label="Recipient" placeholder="+15551234567, chat id, email" value={to} onChange={(e) => setTo(e.target.value)} />
      <TextField label="From" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      <TextField label="Until" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        <Button variant="secondary" onClick={() => onChange({})}>
          Clear
        </Button>
      </div>
    </form>
  );
}
