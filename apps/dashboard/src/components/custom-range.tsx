import { type FormEvent, useState } from 'react';
import { analyticsWindow } from '@contracts/analytics';
import { DomainError } from '@contracts/errors';
import { intervalFor } from '../lib/search';
import { fromLocalInput, toLocalInput } from './message-filters';
import { Button, TextField } from './ui';

export interface CustomRangeValue {
  from: string;
  to: string;
  interval: 'hour' | 'day';
}

/**
 * A window of the user's own choosing, checked by the API's own rule (analyticsWindow from
 * libs/contracts: from before to, at most 744 hours or 366 days) before it goes to the URL.
 */
export function CustomRange({ value, onApply }: { value: { from: string; to: string }; onApply: (next: CustomRangeValue) => void }) {
  const [from, setFrom] = useState(toLocalInput(value.from));
  const [to, setTo] = useState(toLocalInput(value.to));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = { from: fromLocalInput(from), to: fromLocalInput(to) };
    if (!next.from || !next.to) {
      setErrors({ ...(next.from ? {} : { from: 'Enter a start' }), ...(next.to ? {} : { to: 'Enter an end' }) });
      return;
    }
    const interval = intervalFor(next.from, next.to);
    try {
      analyticsWindow({ from: next.from, to: next.to, interval });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      setErrors(Object.fromEntries((error.errors ?? []).map((e) => [e.field, e.message])));
      return;
    }
    setErrors({});
    onApply({ from: next.from, to: next.to, interval });
  };
  return (
    <form aria-label="Custom range" noValidate onSubmit={submit} className="flex flex-wrap items-end gap-3">
      <TextField label="From" type="datetime-local" error={errors.from} value={from} onChange={(e) => setFrom(e.target.value)} />
      <TextField label="Until" type="datetime-local" error={errors.to} value={to} onChange={(e) => setTo(e.target.value)} />
      <div className="pb-0.5">
        <Button type="submit">Apply range</Button>
      </div>
    </form>
  );
}
