import type { ConnectorType } from './connector-types';
import type {
  AcceptedMessage,
  AttemptOutcome,
  ListMessagesQuery,
  MessagePage,
  MessageWithEvents,
  SendMessageCommand,
} from './message.types';

export interface AuthTokens {
  user: { id: string; email: string };
  accessToken: string;
  refreshToken: string;
  /** When the refresh token's family ends (30 days after its login; rotation never extends it). */
  refreshTokenExpiresAt: string;
}
export interface ProjectView {
  id: string;
  name: string;
  rateLimitPerSecond: number | null;
  createdAt: string;
}
/** Messages a public key may send per UTC day unless its owner sets another cap. */
export const PUBLIC_KEY_DAILY_LIMIT_DEFAULT = 1000;
export const PUBLIC_KEY_DAILY_LIMIT_MAX = 1_000_000;

/** API.md: a key's lastUsedAt moves at most once a minute (gated in the gateways, checked again in management). */
export const API_KEY_LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  type: 'secret' | 'public';
  prefix: string;
  allowedOrigins: string[] | null;
  /** Public keys: messages per UTC day; null for secret keys (no cap). */
  dailyLimit: number | null;
  /** When the key last authenticated a request, to the minute. */
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}
export interface VerifiedApiKey {
  keyId: string;
  projectId: string;
  type: 'secret' | 'public';
  allowedOrigins: string[] | null;
  dailyLimit: number | null;
  /** The project's own limit (null: the platform default), cached with the key so limiting costs no lookup. */
  rateLimitPerSecond: number | null;
}
export interface ConnectorView {
  id: string;
  type: ConnectorType;
  name: string;
  config: Record<string, unknown>;
  /** Where the provider posts status updates for this connector (built from PUBLIC_URL); null when there is none. */
  callbackUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

import type { AppName, InProject, Owned } from './rpc-owners';
import { ANALYTICS_RPC_OWNERS, type AnalyticsRpc } from './analytics';
import { RECEIPT_RPC_OWNERS, type ReceiptRpc } from './receipts.rpc';
import { TEMPLATE_RPC_OWNERS, type TemplateRpc } from './templates.rpc';
import { WEBHOOK_RPC_OWNERS, type WebhookRpc } from './webhooks.rpc';

export type { AppName };

/**
 * Every Redis-transport request pattern, with its payload and reply, and the app that answers it.
 * Both sides use this map; start-up fails if an app answers a pattern it does not own or misses one.
 */
export interface RpcContract extends TemplateRpc, ReceiptRpc, WebhookRpc, AnalyticsRpc {
  'auth.signup': { payload: { email: string; password: string }; reply: AuthTokens };
  'auth.login': { payload: { email: string; password: string }; reply: AuthTokens };
  'auth.refresh': { payload: { refreshToken: string }; reply: AuthTokens };
  'auth.me': { payload: Owned; reply: { id: string; email: string } };
  'auth.logout': { payload: { refreshToken: string }; reply: { loggedOut: true } };
  'auth.changePassword': { payload: Owned<{ currentPassword: string; newPassword: string }>; reply: { changed: true } };
  'projects.create': { payload: Owned<{ name: string }>; reply: ProjectView };
  'projects.list': { payload: Owned; reply: { data: ProjectView[] } };
  'projects.get': { payload: InProject; reply: ProjectView };
  'projects.update': { payload: InProject<{ name?: string; rateLimitPerSecond?: number | null }>; reply: ProjectView };
  'projects.delete': { payload: InProject; reply: { deleted: true } };
  'apiKeys.create': {
    payload: InProject<{ name: string; type: 'secret' | 'public'; allowedOrigins?: string[]; dailyLimit?: number }>;
    reply: ApiKeyView & { key: string };
  };
  'apiKeys.update': {
    payload: InProject<{ keyId: string; name?: string; allowedOrigins?: string[]; dailyLimit?: number }>;
    reply: ApiKeyView;
  };
  'apiKeys.list': { payload: InProject; reply: { data: ApiKeyView[] } };
  'apiKeys.revoke': { payload: InProject<{ keyId: string }>; reply: { revoked: true } };
  'apiKeys.verify': { payload: { key: string }; reply: VerifiedApiKey | null };
  'apiKeys.touch': { payload: { keys: Array<{ projectId: string; keyId: string }>; at: string }; reply: { touched: number } };
  'connectors.create': {
    payload: InProject<{ type: ConnectorType; name: string; credentials: Record<string, unknown>; config?: Record<string, unknown> }>;
    reply: ConnectorView;
  };
  'connectors.list': { payload: InProject; reply: { data: ConnectorView[] } };
  'connectors.get': { payload: InProject<{ connectorId: string }>; reply: ConnectorView };
  'connectors.update': {
    payload: InProject<{ connectorId: string; name?: string; credentials?: Record<string, unknown>; config?: Record<string, unknown> }>;
    reply: ConnectorView;
  };
  'connectors.delete': { payload: InProject<{ connectorId: string }>; reply: { deleted: true } };
  'connectors.verify': { payload: InProject<{ connectorId: string }>; reply: { ok: true; identity?: string } };
  'messages.accept': { payload: SendMessageCommand; reply: AcceptedMessage };
  'messages.list': { payload: ListMessagesQuery; reply: MessagePage };
  'messages.get': { payload: { projectId: string; messageId: string }; reply: MessageWithEvents };
  'messages.retry': { payload: { projectId: string; messageId: string }; reply: MessageWithEvents };
  /** Workers report attempts in small batches: one round trip and one UPDATE for many sends. */
  'messages.recordAttempts': { payload: { outcomes: AttemptOutcome[] }; reply: { applied: number } };
}

export type RpcPattern = keyof RpcContract;
export type RpcPayload<P extends RpcPattern> = RpcContract[P]['payload'];
export type RpcReply<P extends RpcPattern> = RpcContract[P]['reply'];

/** Which app answers each pattern: the compile-time check that every pattern has an owner. */
export const RPC_OWNERS: Record<RpcPattern, AppName> = {
  'auth.signup': 'management',
  'auth.login': 'management',
  'auth.refresh': 'management',
  'auth.me': 'management',
  'auth.logout': 'management',
  'auth.changePassword': 'management',
  'projects.create': 'management',
  'projects.list': 'management',
  'projects.get': 'management',
  'projects.update': 'management',
  'projects.delete': 'management',
  'apiKeys.create': 'management',
  'apiKeys.list': 'management',
  'apiKeys.update': 'management',
  'apiKeys.revoke': 'management',
  'apiKeys.verify': 'management',
  'apiKeys.touch': 'management',
  'connectors.create': 'management',
  'connectors.list': 'management',
  'connectors.get': 'management',
  'connectors.update': 'management',
  'connectors.delete': 'management',
  'connectors.verify': 'management',
  'messages.accept': 'dispatcher',
  'messages.list': 'dispatcher',
  'messages.get': 'dispatcher',
  'messages.recordAttempts': 'dispatcher',
  'messages.retry': 'dispatcher',
  ...TEMPLATE_RPC_OWNERS,
  ...RECEIPT_RPC_OWNERS,
  ...WEBHOOK_RPC_OWNERS,
  ...ANALYTICS_RPC_OWNERS,
};

export function patternsOwnedBy(app: AppName): RpcPattern[] {
  return (Object.keys(RPC_OWNERS) as RpcPattern[]).filter((p) => RPC_OWNERS[p] === app);
}
