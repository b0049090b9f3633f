import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConnectorType } from '@app/contracts';
import { EnvDto } from './env.dto';
import { ConfigError } from './parsers';
import { envOf, envReaders, ConfigScope, SETTINGS } from './settings';

export { ConfigError };

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Namespaces every Redis key and channel, so several platforms (or test runs) share one Redis. */
  redisPrefix: string;
  logLevel: string;
  jwtSecret: string;
  encryption: { currentVersion: number; keys: Map<number, Buffer> };
  connectors: ConnectorType[];
  publicUrl?: string;
  /** The built dashboard the gateway serves at `/`; unset: dist/dashboard next to the built apps. */
  dashboardDir?: string;
  apiKeyCacheTtlMs: number;
  workerConcurrency: number;
  sendMaxAttempts: number;
  /** Retry n waits a random time in [0, min(max, base·4^(n-1))]: with the defaults, 8 attempts spread over about a day. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  outboxSweepIntervalMs: number;
  outboxStaleAfterMs: number;
  shutdownTimeoutMs: number;
  rateLimitPerSecond: number;
  /** Express's `trust proxy`: how many hops, or which proxy addresses, to believe X-Forwarded-For from. */
  trustProxy: number | string[];
  idempotencyTtlHours: number;
  /** Webhook endpoints may resolve to loopback, private or link-local addresses (off unless WEBHOOK_ALLOW_PRIVATE=true). */
  webhookAllowPrivate: boolean;
  /** Factor applied to the webhook retry schedule. */
  webhookRetryScale: number;
  webhookDeliveryRetentionDays: number;
  /** Connections in each app's PostgreSQL pool. */
  databasePoolSize: number;
  /** The app's own /healthz, /readyz, /metrics server; unset: none (the gateway serves them on PORT anyway). */
  healthPort?: number;
  /** When set, /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** Connector base URLs and SMTP hosts may resolve to private addresses (development and tests only). */
  connectorAllowPrivate: boolean;
  /** Host names connectors may reach even when they resolve to private addresses. */
  connectorAllowedHosts: string[];
  /** The highest rate limit a project may set for itself. */
  projectMaxRateLimit: number;
  /** Per-tenant ceilings the operator sets. */
  quotas: {
    projectsPerUser: number;
    keysPerProject: number;
    connectorsPerProject: number;
    templatesPerProject: number;
    webhooksPerProject: number;
  };
  /** Abuse limits on credentials (API.md "Sessions and abuse limits"); counted in Redis across gateways. */
  authLimits: { failedLoginsPerEmail: number; requestsPerIpPerMinute: number; unknownKeysPerIpPerMinute: number };
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where spans are exported over OTLP/HTTP; unset, tracing records nothing. */
  otlpEndpoint?: string;
  /** Messages `sent` longer than this are asked about at the provider when no receipt can reach us (no PUBLIC_URL). */
  reconcileAfterMs: number;
}

/** Parses and checks the environment for `app` (every app when omitted); throws ConfigError with a one-line reason. */
export function parseConfig(source: NodeJS.ProcessEnv, app?: ConfigScope): AppConfig {
  const dto = plainToInstance(EnvDto, { ...source }, { enableImplicitConversion: false });
  const own = new Set<string>(app ? envOf(app) : envReaders().keys());
  const errors = validateSync(dto, { skipMissingProperties: false, whitelist: false }).filter((e) => own.has(e.property));
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(first.value === undefined ? `${first.property} is required` : reason);
  }
  const config = {} as AppConfig;
  for (const [field, setting] of Object.entries(SETTINGS) as [keyof AppConfig, (typeof SETTINGS)[keyof AppConfig]][]) {
    if (!app || setting.readBy.includes(app)) {
      Object.defineProperty(config, field, { value: setting.read(dto), enumerable: true });
    } else {
      // Not this app's setting: asking for it is a bug in the code, not in the environment.
      Object.defineProperty(config, field, {
        enumerable: false,
        get: () => {
          throw new ConfigError(`${setting.env.join(', ')} is not a setting of the ${app} (libs/config/src/settings.ts)`);
        },
      });
    }
  }
  return config;
}

let cached: AppConfig | undefined;

/**
 * The process's configuration, read from the environment once. The only reader of process.env.
 * main.ts names its app first (configOrExit), so each app checks only its own settings and secrets.
 */
export function loadConfig(app?: ConfigScope): AppConfig {
  cached ??= parseConfig(process.env, app);
  return cached;
}
