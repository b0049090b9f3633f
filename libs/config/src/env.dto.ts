import { Transform } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Every environment variable MessageJS reads, checked once at start-up. */
export class EnvDto {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Connections each app's PostgreSQL pool may open; size it against the server's max_connections (README). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[\w:-]{1,64}$/, { message: 'REDIS_PREFIX may use letters, digits, :, _ and -' })
  REDIS_PREFIX?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @IsBase64(undefined, { message: 'MESSAGEJS_ENCRYPTION_KEY must be 32 bytes, base64' })
  MESSAGEJS_ENCRYPTION_KEY: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MESSAGEJS_ENCRYPTION_KEY_VERSION?: number;

  /** Retired keys still needed to read old records, as `version:base64,version:base64`. */
  @IsOptional()
  @Matches(/^(\d+:[A-Za-z0-9+/=]+)(,\d+:[A-Za-z0-9+/=]+)*$/, {
    message: 'MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS must look like 1:base64,2:base64',
  })
  MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS?: string;

  @IsOptional()
  @Matches(/^(telegram|whatsapp|twilio|smtp)(,(telegram|whatsapp|twilio|smtp))*$/, {
    message: 'CONNECTORS must be a comma list of telegram, whatsapp, twilio, smtp',
  })
  CONNECTORS?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** Gateway: the built dashboard to serve at `/` (default dist/dashboard beside the built apps). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  DASHBOARD_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  API_KEY_CACHE_TTL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SEND_MAX_ATTEMPTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  RETRY_BASE_DELAY_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(7 * 86_400_000)
  RETRY_MAX_DELAY_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  OUTBOX_SWEEP_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  OUTBOX_STALE_AFTER_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  /**
   * Which proxies' X-Forwarded-For the gateway believes, so per-IP limits see the client and not the
   * load balancer: a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IPs, CIDRs.
   */
  @IsOptional()
  @Matches(/^(\d{1,2}|[A-Za-z0-9.:/]+( *, *[A-Za-z0-9.:/]+)*)$/, {
    message: 'TRUST_PROXY must be a hop count or a list like loopback,10.0.0.0/8',
  })
  TRUST_PROXY?: string;

  /** Requests per second per API key when the project sets no limit of its own. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_PER_SECOND?: number;

  /** How long a completed Idempotency-Key is remembered; API.md promises at least 24 hours. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(24, { message: 'IDEMPOTENCY_TTL_HOURS must be at least 24 (API.md)' })
  @Max(720)
  IDEMPOTENCY_TTL_HOURS?: number;

  /** Failed logins per email in 15 minutes before 429 too-many-attempts (API.md: 5). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_FAILURES_PER_EMAIL?: number;

  /** Requests to /auth/* per client IP per minute (API.md: 20); tests that sign up many users raise it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_REQUESTS_PER_IP?: number;

  /** Requests with an API key that does not exist, per client IP per minute (API.md: 20). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  UNKNOWN_KEYS_PER_IP?: number;

  /** Lets webhook endpoints resolve to loopback, private and link-local addresses (local development and tests only). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE?: 'true' | 'false';

  /** Multiplies the webhook retry schedule (5 s … 24 h); tests shrink it to see retries at once. */
  // class-validator reports the bottom decorator first: "must be a number" before the range.
  @IsOptional()
  @Transform(toInt)
  @Min(0.0001)
  @Max(100)
  @IsNumber({}, { message: 'WEBHOOK_RETRY_SCALE must be a number' })
  WEBHOOK_RETRY_SCALE?: number;

  /** Days the delivery log keeps each attempt; longer than the retry schedule (about 42 h) so no live delivery loses its rows. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(3, { message: 'WEBHOOK_DELIVERY_RETENTION_DAYS must be at least 3 (the retry schedule spans 42 h)' })
  @Max(3650)
  WEBHOOK_DELIVERY_RETENTION_DAYS?: number;

  /** Port of the app's own /healthz, /readyz and /metrics server (the gateway also serves them on PORT). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  HEALTH_PORT?: number;

  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; empty means unset (compose passes `${METRICS_TOKEN:-}`). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Lets connector base URLs and SMTP hosts resolve to private addresses (local development and tests only). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'CONNECTOR_ALLOW_PRIVATE must be true or false' })
  CONNECTOR_ALLOW_PRIVATE?: 'true' | 'false';

  /** Comma-separated host names connectors may reach even when they resolve to private addresses. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:-]+(,[A-Za-z0-9.:-]+)*$/, { message: 'CONNECTOR_ALLOWED_HOSTS must be a comma list of host names' })
  CONNECTOR_ALLOWED_HOSTS?: string;

  /** The highest requests-per-second limit a project may set for itself. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PROJECT_MAX_RATE_LIMIT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_PROJECTS_PER_USER?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_KEYS_PER_PROJECT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_CONNECTORS_PER_PROJECT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_TEMPLATES_PER_PROJECT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_WEBHOOKS_PER_PROJECT?: number;

  /** An OTLP/HTTP collector (e.g. http://otel-collector:4318): spans go to <url>/v1/traces; unset, nothing is exported. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' },
  )
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Without PUBLIC_URL, a message still `sent` this long after its send is asked about at the provider (where it can answer). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  RECONCILE_AFTER_MS?: number;
}
