import { useId } from 'react';
import type { ConnectorField, FieldValues } from '../lib/connector-forms';
import { TextField } from './ui';

/** A connector type's inputs, each with where to find its value at the provider. */
export function ConnectorFields({
  fields,
  values,
  onChange,
  requireSecrets = true,
}: {
  fields: ConnectorField[];
  values: FieldValues;
  onChange: (next: FieldValues) => void;
  requireSecrets?: boolean;
}) {
  const checkboxId = useId();
  return (
    <>
      {fields.map((field) =>
        field.kind === 'checkbox' ? (
          <div key={field.key} className="flex items-start gap-2">
            <input
              id={`${checkboxId}-${field.key}`}
              type="checkbox"
              className="mt-1"
              aria-describedby={`${checkboxId}-${field.key}-hint`}
              checked={values[field.key] === true}
              onChange={(e) => onChange({ ...values, [field.key]: e.target.checked })}
            />
            <div>
              <label htmlFor={`${checkboxId}-${field.key}`} className="text-sm font-medium text-slate-800">
                {field.label}
              </label>
              <p id={`${checkboxId}-${field.key}-hint`} className="text-xs text-slate-600">
                {field.help}
              </p>
            </div>
          </div>
        ) : (
          <TextField
            key={field.key}
            label={field.label}
            hint={field.help}
            type={field.kind === 'secret' ? 'password' : field.kind === 'number' ? 'number' : 'text'}
            autoComplete="off"
            required={field.required && (requireSecrets || field.in === 'config')}
            placeholder={field.placeholder}
            value={String(values[field.key] ?? '')}
            onChange={(e) => onChange({ ...values, [field.key]: e.target.value })}
          />
        ),
      )}
    </>
  );
}

/** maxPerSecond and maxConcurrent: how hard MessageJS may push this provider. */
export function ThroughputFields({
  values,
  onChange,
}: {
  values: { maxPerSecond: string; maxConcurrent: string };
  onChange: (next: { maxPerSecond: string; maxConcurrent: string }) => void;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <TextField
        label="Max sends per second"
        type="number"
        min={1}
        hint="A hard ceiling across all workers. Empty: the channel default (Telegram 30, WhatsApp 80, Twilio 10, SMTP 10)."
        value={values.maxPerSecond}
        onChange={(e) => onChange({ ...values, maxPerSecond: e.target.value })}
      />
      <TextField
        label="Max sends in flight"
        type="number"
        min={1}
        hint="Concurrent provider calls across all workers (default 10), so a slow provider cannot hold every worker."
        value={values.maxConcurrent}
        onChange={(e) => onChange({ ...values, maxConcurrent: e.target.value })}
      />
    </div>
  );
}

export function throughputConfig(values: { maxPerSecond: string; maxConcurrent: string }): Record<string, number> {
  return {
    ...(values.maxPerSecond ? { maxPerSecond: Number(values.maxPerSecond) } : {}),
    ...(values.maxConcurrent ? { maxConcurrent: Number(values.maxConcurrent) } : {}),
  };
}
