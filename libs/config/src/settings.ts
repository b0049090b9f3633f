import { CONNECTOR_TYPES, ConnectorType } from '@app/contracts';
import type { AppConfig } from './app-config';
import type { EnvDto } from './env.dto';
import { decodeKey, parseTrustProxy } from './parsers';

/** The five processes of the platform; each validates only the settings it reads. */
export const PLATFORM_APPS = ['gateway', 'management', 'dispatcher', 'worker', 'webhooks'] as const;
export type PlatformApp = (typeof PLATFORM_APPS)[number];
/** What a process can be started as: an app, or the one-shot `management migrate` (a Job / compose service). */
export type ConfigScope = PlatformApp | 'migrate';

export type EnvName = keyof EnvDto;

interface Setting<T> {
  env: readonly EnvName[];
  readBy: readonly ConfigScope[];
  read: (dto: EnvDto) => T;
}

const ALL = PLATFORM_APPS;
const WITH_DATABASE = [...ALL, 'migrate'] as const;
const CONNECTOR_USERS = ['management', 'dispatcher', 'worker'] as const;

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((entry) => entry.trim()) : [];
}

/**
 * Every AppConfig field: the variables it comes from, the apps that read it, and how. An app asked
 * for a field it does not read gets an error naming the variable (see parseConfig), so this table,
 * the README's "read by" column and the manifests in k8s/ and docker-compose.yml cannot drift apart.
 */
export const SETTINGS: { [K in keyof AppConfig]-?: Setting<AppConfig[K]> } = {
  env: { env: ['NODE_ENV'], readBy: [...ALL, 'migrate'], read: (d) => d.NODE_ENV ?? 'development' },
  port: { env: ['PORT'], readBy: ['gateway'], read: (d) => d.PORT ?? 3000 },
  healthPort: { env: ['HEALTH_PORT'], readBy: ALL, read: (d) => d.HEALTH_PORT },
  metricsToken: { env: ['METRICS_TOKEN'], readBy: ALL, read: (d) => d.METRICS_TOKEN },
  databaseUrl: { env: ['DATABASE_URL'], readBy: WITH_DATABASE, read: (d) => d.DATABASE_URL },
  databasePoolSize: {
    env: ['DATABASE_POOL_SIZE'],
    readBy: ['management', 'dispatcher', 'worker', 'webhooks'],
    read: (d) => d.DATABASE_POOL_SIZE ?? 10,
  },
  redisUrl: { env: ['REDIS_URL'], readBy: ALL, read: (d) => d.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  redisPrefix: { env: ['REDIS_PREFIX'], readBy: ALL, read: (d) => d.REDIS_PREFIX ?? 'mjs' },
  logLevel: { env: ['LOG_LEVEL'], readBy: ALL, read: (d) => d.LOG_LEVEL ?? 'info' },
  jwtSecret: { env: ['JWT_SECRET'], readBy: ['gateway', 'management'], read: (d) => d.JWT_SECRET },
  encryption: {
    env: ['MESSAGEJS_ENCRYPTION_KEY', 'MESSAGEJS_ENCRYPTION_KEY_VERSION', 'MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS'],
    readBy: ['management', 'dispatcher', 'worker', 'webhooks'],
    read: (d) => {
      const currentVersion = d.MESSAGEJS_ENCRYPTION_KEY_VERSION ?? 1;
      const keys = new Map<number, Buffer>([[currentVersion, decodeKey('MESSAGEJS_ENCRYPTION_KEY', d.MESSAGEJS_ENCRYPTION_KEY)]]);
      for (const entry of list(d.MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS)) {
        const [version, base64] = entry.split(':');
        keys.set(Number(version), decodeKey(`MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS version ${version}`, base64));
      }
      return { currentVersion, keys };
    },
  },
  connectors: {
    env: ['CONNECTORS'],
    readBy: ['worker'],
    read: (d) => (d.CONNECTORS ? (d.CONNECTORS.split(',') as ConnectorType[]) : [...CONNECTOR_TYPES]),
  },
  publicUrl: { env: ['PUBLIC_URL'], readBy: ['gateway', ...CONNECTOR_USERS], read: (d) => d.PUBLIC_URL?.replace(/(?<!\/)\/+$/, '') },
  dashboardDir: { env: ['DASHBOARD_DIR'], readBy: ['gateway'], read: (d) => d.DASHBOARD_DIR },
  apiKeyCacheTtlMs: { env: ['API_KEY_CACHE_TTL_MS'], readBy: ['gateway'], read: (d) => d.API_KEY_CACHE_TTL_MS ?? 60_000 },
  workerConcurrency: { env: ['WORKER_CONCURRENCY'], readBy: ['worker'], read: (d) => d.WORKER_CONCURRENCY ?? 50 },
  sendMaxAttempts: { env: ['SEND_MAX_ATTEMPTS'], readBy: ['dispatcher'], read: (d) => d.SEND_MAX_ATTEMPTS ?? 8 },
  retryBaseDelayMs: { env: ['RETRY_BASE_DELAY_MS'], readBy: ['worker'], read: (d) => d.RETRY_BASE_DELAY_MS ?? 60_000 },
  retryMaxDelayMs: { env: ['RETRY_MAX_DELAY_MS'], readBy: ['worker'], read: (d) => d.RETRY_MAX_DELAY_MS ?? 86_400_000 },
  outboxSweepIntervalMs: { env: ['OUTBOX_SWEEP_INTERVAL_MS'], readBy: ['dispatcher'], read: (d) => d.OUTBOX_SWEEP_INTERVAL_MS ?? 10_000 },
  outboxStaleAfterMs: { env: ['OUTBOX_STALE_AFTER_MS'], readBy: ['dispatcher'], read: (d) => d.OUTBOX_STALE_AFTER_MS ?? 60_000 },
  shutdownTimeoutMs: { env: ['SHUTDOWN_TIMEOUT_MS'], readBy: ALL, read: (d) => d.SHUTDOWN_TIMEOUT_MS ?? 15_000 },
  rateLimitPerSecond: { env: ['RATE_LIMIT_PER_SECOND'], readBy: ['gateway'], read: (d) => d.RATE_LIMIT_PER_SECOND ?? 100 },
  trustProxy: { env: ['TRUST_PROXY'], readBy: ['gateway'], read: (d) => parseTrustProxy(d.TRUST_PROXY ?? 'loopback') },
  idempotencyTtlHours: { env: ['IDEMPOTENCY_TTL_HOURS'], readBy: ['gateway'], read: (d) => d.IDEMPOTENCY_TTL_HOURS ?? 24 },
  webhookAllowPrivate: {
    env: ['WEBHOOK_ALLOW_PRIVATE'],
    readBy: ['management', 'webhooks'],
    read: (d) => d.WEBHOOK_ALLOW_PRIVATE === 'true',
  },
  webhookRetryScale: { env: ['WEBHOOK_RETRY_SCALE'], readBy: ['webhooks'], read: (d) => d.WEBHOOK_RETRY_SCALE ?? 1 },
  webhookDeliveryRetentionDays: {
    env: ['WEBHOOK_DELIVERY_RETENTION_DAYS'],
    readBy: ['webhooks'],
    read: (d) => d.WEBHOOK_DELIVERY_RETENTION_DAYS ?? 30,
  },
  otlpEndpoint: { env: ['OTEL_EXPORTER_OTLP_ENDPOINT'], readBy: [...ALL, 'migrate'], read: (d) => d.OTEL_EXPORTER_OTLP_ENDPOINT },
  reconcileAfterMs: { env: ['RECONCILE_AFTER_MS'], readBy: ['dispatcher'], read: (d) => d.RECONCILE_AFTER_MS ?? 300_000 },
  connectorAllowPrivate: {
    env: ['CONNECTOR_ALLOW_PRIVATE'],
    readBy: CONNECTOR_USERS,
    read: (d) => d.CONNECTOR_ALLOW_PRIVATE === 'true',
  },
  connectorAllowedHosts: { env: ['CONNECTOR_ALLOWED_HOSTS'], readBy: CONNECTOR_USERS, read: (d) => list(d.CONNECTOR_ALLOWED_HOSTS) },
  projectMaxRateLimit: { env: ['PROJECT_MAX_RATE_LIMIT'], readBy: ['management'], read: (d) => d.PROJECT_MAX_RATE_LIMIT ?? 1000 },
  authLimits: {
    env: ['LOGIN_FAILURES_PER_EMAIL', 'AUTH_REQUESTS_PER_IP', 'UNKNOWN_KEYS_PER_IP'],
    readBy: ['gateway'],
    read: (d) => ({
      failedLoginsPerEmail: d.LOGIN_FAILURES_PER_EMAIL ?? 5,
      requestsPerIpPerMinute: d.AUTH_REQUESTS_PER_IP ?? 20,
      unknownKeysPerIpPerMinute: d.UNKNOWN_KEYS_PER_IP ?? 20,
    }),
  },
  quotas: {
    env: [
      'MAX_PROJECTS_PER_USER',
      'MAX_KEYS_PER_PROJECT',
      'MAX_CONNECTORS_PER_PROJECT',
      'MAX_TEMPLATES_PER_PROJECT',
      'MAX_WEBHOOKS_PER_PROJECT',
    ],
    readBy: ['management'],
    read: (d) => ({
      projectsPerUser: d.MAX_PROJECTS_PER_USER ?? 20,
      keysPerProject: d.MAX_KEYS_PER_PROJECT ?? 50,
      connectorsPerProject: d.MAX_CONNECTORS_PER_PROJECT ?? 50,
      templatesPerProject: d.MAX_TEMPLATES_PER_PROJECT ?? 500,
      webhooksPerProject: d.MAX_WEBHOOKS_PER_PROJECT ?? 10,
    }),
  },
};

/** Each environment variable and the apps that read it (the README's "read by" column). */
export function envReaders(): Map<EnvName, ConfigScope[]> {
  const readers = new Map<EnvName, ConfigScope[]>();
  for (const setting of Object.values(SETTINGS) as Setting<unknown>[]) {
    for (const name of setting.env) readers.set(name, [...new Set([...(readers.get(name) ?? []), ...setting.readBy])]);
  }
  return readers;
}

/** The variables one app reads. */
export function envOf(app: ConfigScope): EnvName[] {
  return [...envReaders()].filter(([, apps]) => apps.includes(app)).map(([name]) => name);
}
