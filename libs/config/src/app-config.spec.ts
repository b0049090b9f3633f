import { getMetadataStorage } from 'class-validator';
import { parseConfig } from './app-config';
import { EnvDto } from './env.dto';
import { envReaders } from './settings';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  JWT_SECRET: 'x'.repeat(32),
  MESSAGEJS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('parseConfig', () => {
  it('fills defaults from a minimal environment', () => {
    const config = parseConfig(base);
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.connectors).toEqual(['telegram', 'whatsapp', 'twilio', 'smtp']);
    expect(config.encryption.keys.get(1)?.length).toBe(32);
    expect(config.rateLimitPerSecond).toBe(100);
    expect(config.idempotencyTtlHours).toBe(24);
    expect(config.webhookAllowPrivate).toBe(false);
    expect(config.webhookRetryScale).toBe(1);
    expect(config.trustProxy).toEqual(['loopback']);
    expect(config.webhookDeliveryRetentionDays).toBe(30);
    expect(config.authLimits).toEqual({ failedLoginsPerEmail: 5, requestsPerIpPerMinute: 20, unknownKeysPerIpPerMinute: 20 });
    expect(config.metricsToken).toBeUndefined();
  });

  it.each([
    ['1', 1],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['uniquelocal,fd00::/8,192.168.1.10', ['uniquelocal', 'fd00::/8', '192.168.1.10']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(parseConfig({ ...base, TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ MESSAGEJS_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /exactly 32 bytes/],
    [{ CONNECTORS: 'telegram,fax' }, /CONNECTORS must be/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ RATE_LIMIT_PER_SECOND: '0' }, /RATE_LIMIT_PER_SECOND/],
    [{ IDEMPOTENCY_TTL_HOURS: '1' }, /IDEMPOTENCY_TTL_HOURS must be at least 24/],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, /WEBHOOK_ALLOW_PRIVATE must be true or false/],
    [{ WEBHOOK_RETRY_SCALE: 'fast' }, /WEBHOOK_RETRY_SCALE must be a number/],
    [{ WEBHOOK_RETRY_SCALE: '0' }, /WEBHOOK_RETRY_SCALE/],
    [{ WEBHOOK_DELIVERY_RETENTION_DAYS: '1' }, /at least 3/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY: everyone is not/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY: 10.0.0.0\/33 is not/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY: true is not/],
  ])('refuses %j with a one-line reason', (override, reason) => {
    expect(() => parseConfig({ ...base, ...override })).toThrow(reason);
  });

  it('reads the webhook settings tests and local development use', () => {
    const config = parseConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001' });
    expect(config.webhookAllowPrivate).toBe(true);
    expect(config.webhookRetryScale).toBe(0.001);
  });

  it('names a missing required variable', () => {
    expect(() => parseConfig({ ...base, DATABASE_URL: undefined })).toThrow('DATABASE_URL is required');
  });

  it('reads retired encryption keys for rotation', () => {
    const config = parseConfig({
      ...base,
      MESSAGEJS_ENCRYPTION_KEY_VERSION: '2',
      MESSAGEJS_PREVIOUS_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(config.encryption.currentVersion).toBe(2);
    expect([...config.encryption.keys.keys()].sort()).toEqual([1, 2]);
  });
});

describe('per-app settings', () => {
  const redisOnly = { DATABASE_URL: base.DATABASE_URL };
  const key = { MESSAGEJS_ENCRYPTION_KEY: base.MESSAGEJS_ENCRYPTION_KEY };

  it('starts the gateway without the encryption key and the worker without JWT_SECRET', () => {
    expect(parseConfig({ ...redisOnly, JWT_SECRET: base.JWT_SECRET }, 'gateway').jwtSecret).toBe(base.JWT_SECRET);
    const worker = parseConfig({ ...redisOnly, MESSAGEJS_ENCRYPTION_KEY: base.MESSAGEJS_ENCRYPTION_KEY, CONNECTORS: 'smtp' }, 'worker');
    expect(worker.connectors).toEqual(['smtp']);
    expect(worker.encryption.keys.get(1)?.length).toBe(32);
  });

  it('runs migrations with DATABASE_URL alone', () => {
    expect(parseConfig(redisOnly, 'migrate').databaseUrl).toBe(base.DATABASE_URL);
  });

  it.each([
    ['gateway', 'JWT_SECRET is required'],
    ['management', 'JWT_SECRET is required'],
    ['worker', 'MESSAGEJS_ENCRYPTION_KEY is required'],
    ['webhooks', 'MESSAGEJS_ENCRYPTION_KEY is required'],
    ['dispatcher', 'MESSAGEJS_ENCRYPTION_KEY is required'],
  ] as const)('still refuses to start the %s without its own secret', (app, reason) => {
    expect(() => parseConfig(redisOnly, app)).toThrow(reason);
  });

  it('ignores a bad value of a variable the app does not read, and names it when code asks for it', () => {
    const config = parseConfig({ ...redisOnly, ...key, JWT_SECRET: 'short', PORT: 'abc' }, 'webhooks');
    expect(() => config.jwtSecret).toThrow('JWT_SECRET is not a setting of the webhooks');
    expect(() => config.port).toThrow('PORT is not a setting of the webhooks');
  });

  it('reads pool size, health port, metrics token and the security settings with their defaults', () => {
    const config = parseConfig(base);
    expect(config.databasePoolSize).toBe(10);
    expect(config.healthPort).toBeUndefined();
    expect(config.metricsToken).toBeUndefined();
    expect(config.connectorAllowPrivate).toBe(false);
    expect(config.connectorAllowedHosts).toEqual([]);
    expect(config.projectMaxRateLimit).toBe(1000);
    expect(config.quotas).toEqual({
      projectsPerUser: 20,
      keysPerProject: 50,
      connectorsPerProject: 50,
      templatesPerProject: 500,
      webhooksPerProject: 10,
    });
    const set = parseConfig({
      ...base,
      DATABASE_POOL_SIZE: '4',
      HEALTH_PORT: '9464',
      METRICS_TOKEN: 'm'.repeat(16),
      CONNECTOR_ALLOW_PRIVATE: 'true',
      CONNECTOR_ALLOWED_HOSTS: 'smtp.internal,api.example.com',
      MAX_WEBHOOKS_PER_PROJECT: '3',
    });
    expect([set.databasePoolSize, set.healthPort, set.metricsToken]).toEqual([4, 9464, 'm'.repeat(16)]);
    expect(set.connectorAllowPrivate).toBe(true);
    expect(set.connectorAllowedHosts).toEqual(['smtp.internal', 'api.example.com']);
    expect(set.quotas.webhooksPerProject).toBe(3);
  });

  it.each([
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE/],
    [{ HEALTH_PORT: '70000' }, /HEALTH_PORT/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16/],
    [{ CONNECTOR_ALLOW_PRIVATE: 'yes' }, /CONNECTOR_ALLOW_PRIVATE must be true or false/],
  ])('refuses %j', (override, reason) => {
    expect(() => parseConfig({ ...base, ...override })).toThrow(reason);
  });

  it('declares every validated variable in the settings table', () => {
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvDto, '', true, false)
        .map((m) => m.propertyName),
    );
    expect([...validated].sort()).toEqual([...envReaders().keys()].sort());
  });
});
