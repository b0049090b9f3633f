import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api } from '../api/client';
import type { ApiKeyView } from '../api/types';
import { Modal } from './dialog';
import { Button, ErrorState, TextArea, TextField, fieldErrors } from './ui';

export interface KeyRules {
  origins: string;
  dailyLimit: string;
}

/** One origin per line (commas and spaces also separate them). */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * What the browser can tell before asking the API: origins are http(s) URLs, the cap a whole number of
 * at least 1. The API has the last word (its upper bound, its own URL check) and answers 422 by field.
 */
export function checkKeyRules(rules: KeyRules, requireLimit: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const bad = parseOrigins(rules.origins).find((o) => {
    try {
      return !['http:', 'https:'].includes(new URL(o).protocol);
    } catch {
      return true;
    }
  });
  if (bad) errors.allowedOrigins = `“${bad}” is not an origin like https://shop.example.com`;
  if (rules.dailyLimit === '' ? requireLimit : !/^[1-9]\d*$/.test(rules.dailyLimit.trim())) {
    errors.dailyLimit = 'Enter a whole number of messages, at least 1';
  }
  return errors;
}

/** The request body for a public key's rules; an empty cap is left out (the API's default, or unchanged). */
export function keyRulesBody(rules: KeyRules): { allowedOrigins: string[]; dailyLimit?: number } {
  const dailyLimit = rules.dailyLimit.trim();
  return { allowedOrigins: parseOrigins(rules.origins), ...(dailyLimit ? { dailyLimit: Number(dailyLimit) } : {}) };
}

/** A public key's browser origins and daily cap, as creating and editing the key both ask for them. */
export function PublicKeyFields({
  value,
  onChange,
  errors,
  capHint,
}: {
  value: KeyRules;
  onChange: (next: KeyRules) => void;
  errors: Record<string, string>;
  capHint: string;
}) {
  return (
    <>
      <TextArea
        label="Allowed origins"
        rows={3}
        hint="One per line, e.g. https://shop.example.com. Browsers on other origins are refused."
        error={errors.allowedOrigins}
        value={value.origins}
        onChange={(e) => onChange({ ...value, origins: e.target.value })}
      />
      <TextField
        label="Daily cap"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        hint={capHint}
        error={errors.dailyLimit}
        value={value.dailyLimit}
        onChange={(e) => onChange({ ...value, dailyLimit: e.target.value })}
      />
    </>
  );
}

/** "Not saved" for a screen reader, when the reasons sit beside the fields; the problem itself otherwise. */
export function FormProblem({ error, fields }: { error: unknown; fields: Record<string, string> }) {
  const count = Object.keys(fields).length;
  if (count === 0) return error ? <ErrorState error={error} /> : null;
  return (
    <p role="alert" className="text-sm text-red-800">
      Not saved: {count === 1 ? 'one field needs' : `${count} fields need`} a change.
    </p>
  );
}

/**
 * Edits a key in place (the key itself stays the same): its name, and for a public key the origins it
 * may be used from and its daily cap. Every gateway hears of the change at once.
 */
export function EditKeyButton({ projectId, apiKey }: { projectId: string; apiKey: ApiKeyView }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const isPublic = apiKey.type === 'public';
  const initial = () => ({ origins: (apiKey.allowedOrigins ?? []).join('\n'), dailyLimit: String(apiKey.dailyLimit ?? '') });
  const [name, setName] = useState(apiKey.name);
  const [rules, setRules] = useState<KeyRules>(initial);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () =>
      api<ApiKeyView>('PATCH', `/projects/${projectId}/keys/${apiKey.id}`, { name, ...(isPublic ? keyRulesBody(rules) : {}) }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['projects', projectId, 'keys'] });
      dialog.current?.close();
    },
  });
  const errors = { ...fieldErrors(save.error), ...checked };
  const open = () => {
    setName(apiKey.name);
    setRules(initial());
    setChecked({});
    save.reset();
    dialog.current?.showModal();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = {
      ...(name.trim() === '' ? { name: 'Enter a name' } : {}),
      ...(isPublic ? checkKeyRules(rules, true) : {}),
    };
    setChecked(found);
    save.reset();
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <>
      <Button variant="secondary" aria-haspopup="dialog" onClick={open}>
        Edit {apiKey.name}
      </Button>
      <Modal dialog={dialog} title={`Edit key ${apiKey.name}`} description={`The key itself (${apiKey.prefix}…) stays the same.`}>
        <form noValidate onSubmit={submit} className="mt-4 flex flex-col gap-3" aria-label={`Edit key ${apiKey.name}`}>
          <TextField label="Key name" maxLength={100} error={errors.name} value={name} onChange={(e) => setName(e.target.value)} />
          {isPublic && <PublicKeyFields value={rules} onChange={setRules} errors={errors} capHint="Messages per UTC day, from now on." />}
          {(save.isError || Object.keys(checked).length > 0) && <FormProblem error={save.error} fields={errors} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending}>
              Save key
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}
