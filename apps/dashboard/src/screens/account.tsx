import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { changePassword } from '../api/client';
import { Card, FormActions, PageHeader, TextField } from '../components/ui';
import { useSession } from '../lib/session';

export function AccountScreen() {
  const state = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const email = state.status === 'signed-in' ? state.user.email : '';
  const change = useMutation({
    mutationFn: () => changePassword(email, current, next),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });
  const mismatch = repeat !== '' && repeat !== next;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) change.mutate();
  };

  return (
    <div className="max-w-lg">
      <PageHeader title="Account" />
      <Card title="Change password">
        <p className="mb-3 text-sm text-slate-600">
          Signed in as <strong>{email}</strong>. Changing the password signs out every other browser and revokes every refresh token.
        </p>
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Change password">
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters."
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <TextField
            label="Repeat new password"
            type="password"
            autoComplete="new-password"
            required
            error={mismatch ? 'The two new passwords differ.' : undefined}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <FormActions
            mutation={change}
            label="Change password"
            pendingLabel="Changing…"
            saved="Password changed. Other sessions are signed out."
            disabled={mismatch}
          />
        </form>
      </Card>
    </div>
  );
}
