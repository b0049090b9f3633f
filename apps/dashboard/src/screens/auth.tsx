import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { login, logout, signup } from '../api/client';
import { Button, ErrorState, Loading, TextField } from '../components/ui';

function AuthForm({ mode }: { mode: 'login' | 'signup' }) {
  const raw: unknown = useSearch({ strict: false });
  const search = raw as { next?: string };
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (mode === 'login' ? login(email, password) : signup(email, password));
      await navigate({ to: search.next ?? '/projects' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'login' ? 'Log in' : 'Create your account';
  return (
    <div className="mx-auto mt-10 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-xs">
      <h1 className="mb-4 text-xl font-semibold">{title}</h1>
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3" aria-label={title}>
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'signup' ? 10 : undefined}
          hint={mode === 'signup' ? 'At least 10 characters.' : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error !== null && <ErrorState error={error} />}
        <Button type="submit" disabled={busy}>
          {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Sign up'}
        </Button>
      </form>
      <p className="mt-4 text-sm text-slate-600">
        {mode === 'login' ? (
          <>
            New here?{' '}
            <Link to="/signup" search={search} className="text-indigo-800 underline">
              Create an account
            </Link>
          </>
        ) : (
          <>
            Have an account?{' '}
            <Link to="/login" search={search} className="text-indigo-800 underline">
              Log in
            </Link>
          </>
        )}
      </p>
    </div>
  );
}

export const LoginScreen = () => <AuthForm mode="login" />;
export const SignupScreen = () => <AuthForm mode="signup" />;

/** /logout as a URL: ends the session (server side too), then shows the login page. */
export function LogoutScreen() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(() => {
    void logout().finally(() => {
      queryClient.clear();
      void navigate({ to: '/login', replace: true });
    });
  }, [navigate, queryClient]);
  return <Loading label="Logging out…" />;
}
