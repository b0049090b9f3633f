import { isIP } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CONNECTOR_TYPES, ConnectorType } from '@app/contracts';
import { EnvDto } from './env.dto';

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
  /** Connector base URLs and SMTP hosts may resolve to non-public addresses (off unless CONNECTOR_ALLOW_PRIVATE=true). */
  connectorAllowPrivate: boolean;
  /** `host` or `host:port` entries a connector may reach whatever they resolve to (lower-case). */
  connectorAllowedHosts: string[];
  /** The highest rateLimitPerSecond PATCH /projects/:id accepts. */
  projectMaxRateLimit: number;
  /** Count ceilings per owner and per project; past one, creating another is 409 quota-exceeded. */
  quotas: {
    projectsPerUser: number;
    keysPerProject: number;
    connectorsPerProject: number;
    templatesPerProject: number;
    webhooksPerProject: number;
  };
}

export class ConfigError extends Error {}

function decodeKey(name: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must decode to exactly 32 bytes (got ${key.length})`);
  return key;
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** A hop count, or proxy addresses as Express's `trust proxy` takes them; each entry is checked here. */
function parseTrustProxy(value: string): number | string[] {
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const ok =
      PROXY_RANGES.includes(entry) ||
      (family !== 0 && extra === undefined && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits)));
    if (!ok) throw new ConfigError(`TRUST_PROXY: ${entry} is not loopback, linklocal, uniquelocal, an IP or a CIDR`);
  }
  return entries;
}

/** Parses and checks the environment; throws ConfigError with a one-line reason. */
export function parseConfig(source: NodeJS.ProcessEnv): AppConfig {
  const dto = plainToInstance(EnvDto, { ...source }, { enableImplicitConversion: false });
  const errors = validateSync(dto, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(first.value === undefined ? `${first.property} is required` : reason);
  }
  const currentVersion = dto.MESSAGEJS_ENCRYPTION_KEY_VERSION ?? 1;
  const keys = new Map<number, Buffer>([[currentVersion, decodeKey('MESSAGEJS_ENCRYPTION_KEY', dto.MESSAGEJS_ENCRYPTION_KEY)]]);
  for (const entry of dto.MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS?.split(',') ?? []) {
    const [version, base64] = entry.split(':');
    keys.set(Number(version), decodeKey(`MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS version ${version}`, base64));
  }
  return {
    env: dto.NODE_ENV ?? 'development',
    port: dto.PORT ?? 3000,
    databaseUrl: dto.DATABASE_URL,
    redisUrl: dto.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: dto.REDIS_PREFIX ?? 'mjs',
    logLevel: dto.LOG_LEVEL ?? 'info',
    jwtSecret: dto.JWT_SECRET,
    encryption: { currentVersion, keys },
    connectors: dto.CONNECTORS ? (dto.CONNECTORS.split(',') as ConnectorType[]) : [...CONNECTOR_TYPES],
    publicUrl: dto.PUBLIC_URL?.replace(/\/+$/, ''),
    dashboardDir: dto.DASHBOARD_DIR,
    apiKeyCacheTtlMs: dto.API_KEY_CACHE_TTL_MS ?? 60_000,
    workerConcurrency: dto.WORKER_CONCURRENCY ?? 50,
    sendMaxAttempts: dto.SEND_MAX_ATTEMPTS ?? 8,
    retryBaseDelayMs: dto.RETRY_BASE_DELAY_MS ?? 60_000,
    retryMaxDelayMs: dto.RETRY_MAX_DELAY_MS ?? 86_400_000,
    outboxSweepIntervalMs: dto.OUTBOX_SWEEP_INTERVAL_MS ?? 10_000,
    outboxStaleAfterMs: dto.OUTBOX_STALE_AFTER_MS ?? 60_000,
    shutdownTimeoutMs: dto.SHUTDOWN_TIMEOUT_MS ?? 15_000,
    rateLimitPerSecond: dto.RATE_LIMIT_PER_SECOND ?? 100,
    trustProxy: parseTrustProxy(dto.TRUST_PROXY ?? 'loopback'),
    idempotencyTtlHours: dto.IDEMPOTENCY_TTL_HOURS ?? 24,
    webhookAllowPrivate: dto.WEBHOOK_ALLOW_PRIVATE === 'true',
    webhookRetryScale: dto.WEBHOOK_RETRY_SCALE ?? 1,
    webhookDeliveryRetentionDays: dto.WEBHOOK_DELIVERY_RETENTION_DAYS ?? 30,
    connectorAllowPrivate: dto.CONNECTOR_ALLOW_PRIVATE === 'true',
    connectorAllowedHosts: (dto.CONNECTOR_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    projectMaxRateLimit: dto.PROJECT_MAX_RATE_LIMIT ?? 1000,
    quotas: {
      projectsPerUser: dto.MAX_PROJECTS_PER_USER ?? 20,
      keysPerProject: dto.MAX_KEYS_PER_PROJECT ?? 50,
      connectorsPerProject: dto.MAX_CONNECTORS_PER_PROJECT ?? 50,
      templatesPerProject: dto.MAX_TEMPLATES_PER_PROJECT ?? 500,
      webhooksPerProject: dto.MAX_WEBHOOKS_PER_PROJECT ?? 10,
    },
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, read from the environment once. The only reader of process.env. */
export function loadConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
