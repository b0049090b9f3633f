import { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { ensureSession } from './api/client';
import { AppShell } from './components/app-shell';
import { ErrorState, Loading } from './components/ui';
import { parseAnalyticsSearch, parseCursorSearch, parseMessageSearch } from './lib/search';

export interface RouterContext {
  queryClient: QueryClient;
}

const nextOf = (raw: Record<string, unknown>): { next?: string } =>
  typeof raw.next === 'string' && raw.next.startsWith('/') && !raw.next.startsWith('//') ? { next: raw.next } : {};

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: AppShell });

// Every screen is its own chunk (lazyRouteComponent): the first screen loads only the shell and itself.
const screen = lazyRouteComponent;

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: nextOf,
  component: screen(() => import('./screens/auth'), 'LoginScreen'),
});
const signupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signup',
  validateSearch: nextOf,
  component: screen(() => import('./screens/auth'), 'SignupScreen'),
});
const logoutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/logout',
  component: screen(() => import('./screens/auth'), 'LogoutScreen'),
});

/** Everything below needs a session: restored silently from the cookie, or the login page. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ location }) => {
    if (!(await ensureSession())) throw redirect({ to: '/login', search: { next: location.href } });
  },
});

const indexRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/projects' });
  },
});
const accountRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/account',
  component: screen(() => import('./screens/account'), 'AccountScreen'),
});
const projectsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/projects',
  component: screen(() => import('./screens/projects'), 'ProjectsScreen'),
});
const projectRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/projects/$projectId',
  component: screen(() => import('./screens/project-layout'), 'ProjectLayout'),
});
const projectIndexRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/projects/$projectId/messages', params });
  },
});
const messagesRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/messages',
  validateSearch: parseMessageSearch,
  component: screen(() => import('./screens/messages'), 'MessagesScreen'),
});
const messageRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/messages/$messageId',
  component: screen(() => import('./screens/message'), 'MessageScreen'),
});
const analyticsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/analytics',
  validateSearch: parseAnalyticsSearch,
  component: screen(() => import('./screens/analytics'), 'AnalyticsScreen'),
});
const connectorsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/connectors',
  component: screen(() => import('./screens/connectors'), 'ConnectorsScreen'),
});
const newConnectorRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/connectors/new',
  validateSearch: (raw: Record<string, unknown>): { type?: string } => (typeof raw.type === 'string' ? { type: raw.type } : {}),
  component: screen(() => import('./screens/connector'), 'NewConnectorScreen'),
});
const connectorRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/connectors/$connectorId',
  component: screen(() => import('./screens/connector'), 'ConnectorScreen'),
});
const keysRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/keys',
  component: screen(() => import('./screens/keys'), 'KeysScreen'),
});
const templatesRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/templates',
  validateSearch: parseCursorSearch,
  component: screen(() => import('./screens/templates'), 'TemplatesScreen'),
});
const templateRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/templates/$templateId',
  component: screen(() => import('./screens/template'), 'TemplateScreen'),
});
const webhooksRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/webhooks',
  component: screen(() => import('./screens/webhooks'), 'WebhooksScreen'),
});
const webhookRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/webhooks/$webhookId',
  validateSearch: parseCursorSearch,
  component: screen(() => import('./screens/webhook'), 'WebhookScreen'),
});
const settingsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/settings',
  component: screen(() => import('./screens/settings'), 'SettingsScreen'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  signupRoute,
  logoutRoute,
  signedInRoute.addChildren([
    indexRoute,
    accountRoute,
    projectsRoute,
    projectRoute.addChildren([
      projectIndexRoute,
      messagesRoute,
      messageRoute,
      analyticsRoute,
      connectorsRoute,
      newConnectorRoute,
      connectorRoute,
      keysRoute,
      templatesRoute,
      templateRoute,
      webhooksRoute,
      webhookRoute,
      settingsRoute,
    ]),
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: ({ error, reset }) => <ErrorState error={error} onRetry={reset} />,
    defaultNotFoundComponent: () => <p className="p-6 text-sm">This page does not exist.</p>,
    defaultPreload: 'intent',
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
