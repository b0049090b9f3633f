/** The API's shapes as the dashboard reads them (API.md and the gateway's OpenAPI document). */
import type { ConnectorType } from '@contracts/connector-types';
import type { MessageStatus } from '@contracts/message-status';

export type { ConnectorType, MessageStatus };

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Project {
  id: string;
  name: string;
  rateLimitPerSecond: number | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  type: 'secret' | 'public';
  prefix: string;
  allowedOrigins: string[] | null;
  dailyLimit: number | null;
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface Connector {
  id: string;
  type: ConnectorType;
  name: string;
  config: Record<string, unknown>;
  callbackUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Template {
  id: string;
  name: string;
  content: string;
  channel: string | null;
  variables: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  messageId: string | null;
  eventType: string;
  replay: number;
  attempt: number;
  status: 'pending' | 'succeeded' | 'retrying' | 'failed';
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface Message {
  id: string;
  projectId: string;
  connector: { id: string; type: ConnectorType };
  to: string;
  status: MessageStatus;
  externalId: string | null;
  error: { code: string; message: string } | null;
  attempts: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

export interface ProviderOutcome {
  httpStatus?: number;
  code?: string;
  message?: string;
}

export interface MessageEvent {
  status: string;
  at: string;
  attempt?: number;
  detail?: string;
  code?: string;
  provider?: ProviderOutcome;
}

export interface MessageWithEvents extends Message {
  events: MessageEvent[];
}

export interface Analytics {
  from: string;
  to: string;
  interval: 'hour' | 'day';
  series: { t: string; queued: number; sent: number; delivered: number; read: number; failed: number }[];
  connectors: {
    id: string;
    type: ConnectorType;
    name: string | null;
    total: number;
    sent: number;
    delivered: number;
    failed: number;
    successRate: number | null;
    latencyMs: { p50: number | null; p95: number | null };
  }[];
  topErrors: { code: string; count: number; lastAt: string }[];
}
