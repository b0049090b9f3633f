/**
 * The one way the dashboard calls the API. The access token lives only in this module's memory; the
 * refresh token stays in the HttpOnly cookie the gateway sets for `X-Session: cookie`, so a reload
 * restores the session with one silent refresh and page script can never read it.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface User {
  id: string;
  email: string;
}

interface AuthTokens {
  user: User;
  accessToken: string;
}

export type SessionState = { status: 'unknown' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

const BASE = '/api/v1';
const SESSION_HEADERS = { 'x-session': 'cookie' };

let accessToken: string | null = null;
let state: SessionState = { status: 'unknown' };
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export const session = {
  get: (): SessionState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Seconds until the JWT expires (from its `exp`), or null when it cannot be read. */
export function secondsLeft(token: string, now = Date.now()): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp - now / 1000 : null;
  } catch {
    return null;
  }
}

function adopt(tokens: AuthTokens): void {
  accessToken = tokens.accessToken;
  clearTimeout(refreshTimer);
  const left = secondsLeft(tokens.accessToken);
  // Refresh a minute before expiry so a user mid-task never meets a 401.
  if (left !== null) refreshTimer = setTimeout(() => void refresh(), Math.max(5, left - 60) * 1000);
  setState({ status: 'signed-in', user: tokens.user });
}

function forget(): void {
  accessToken = null;
  clearTimeout(refreshTimer);
  setState({ status: 'signed-out' });
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Problem;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, title: res.statusText || `HTTP ${res.status}` };
  }
}

async function send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  const init: RequestInit = { method, headers: { accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  return fetch(`${BASE}${path}`, init);
}

/** Trades the cookie for a new token pair; one refresh at a time however many callers ask. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const res = await send('POST', '/auth/refresh', {}, SESSION_HEADERS);
      if (!res.ok) {
        forget();
        return false;
      }
      adopt((await res.json()) as AuthTokens);
      return true;
    } catch {
      forget();
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Resolves once the session is known: signed in from memory, or restored from the cookie, or not. */
export async function ensureSession(): Promise<boolean> {
  if (state.status === 'signed-in') return true;
  if (state.status === 'signed-out') return false;
  return refresh();
}

/** A JSON call with the access token; a 401 triggers one silent refresh and one retry. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const call = () => send(method, path, body, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
  let res = await call();
  if (res.status === 401 && path !== '/auth/password') {
    if (await refresh()) res = await call();
  }
  if (!res.ok) throw new ApiError(await readProblem(res));
  if (res.status === 204 || res.status === 202) {
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await res.json()) as T;
}

async function authenticate(path: '/auth/login' | '/auth/signup', email: string, password: string): Promise<User> {
  const res = await send('POST', path, { email, password }, SESSION_HEADERS);
  if (!res.ok) throw new ApiError(await readProblem(res));
  const tokens = (await res.json()) as AuthTokens;
  adopt(tokens);
  return tokens.user;
}

export const login = (email: string, password: string) => authenticate('/auth/login', email, password);
export const signup = (email: string, password: string) => authenticate('/auth/signup', email, password);

/** Ends the cookie's whole rotation family on the server, then forgets the token here. */
export async function logout(): Promise<void> {
  try {
    await send('POST', '/auth/logout', {}, SESSION_HEADERS);
  } finally {
    forget();
  }
}

/** The gateway revokes every refresh token of the user; sign in again silently to keep this tab's session. */
export async function changePassword(email: string, currentPassword: string, newPassword: string): Promise<void> {
  await api<void>('POST', '/auth/password', { currentPassword, newPassword });
  await authenticate('/auth/login', email, newPassword);
}
