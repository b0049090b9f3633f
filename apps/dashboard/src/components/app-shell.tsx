import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { logout } from '../api/client';
import { useSession } from '../lib/session';
import { Button } from './ui';

export function AppShell() {
  const state = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <div className="min-h-screen bg-slate-50 text-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
          <Link to="/" className="font-semibold text-indigo-800">
            MessageJS
          </Link>
          {state.status === 'signed-in' && (
            <nav aria-label="Account" className="flex items-center gap-3 text-sm">
              <span className="text-slate-600">{state.user.email}</span>
              <Link to="/account" className="text-indigo-800 hover:underline">
                Account
              </Link>
              <Button
                variant="secondary"
                onClick={() => {
                  void logout().then(() => {
                    queryClient.clear();
                    void navigate({ to: '/login' });
                  });
                }}
              >
                Log out
              </Button>
            </nav>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
