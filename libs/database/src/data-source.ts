import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { ConnectorEntity } from './entities/connector.entity';
import { MessageEntity } from './entities/message.entity';
import { MessageErrorsHourlyEntity } from './entities/message-errors-hourly.entity';
import { MessageLatencyHourlyEntity } from './entities/message-latency-hourly.entity';
import { MessageStatsHourlyEntity } from './entities/message-stats-hourly.entity';
import { PendingReceiptEntity } from './entities/pending-receipt.entity';
import { ProjectEntity } from './entities/project.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { TemplateEntity } from './entities/template.entity';
import { UserEntity } from './entities/user.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { Initial1764057600000 } from './migrations/1764057600000-Initial';
import { Templates1764144000000 } from './migrations/1764144000000-Templates';
import { ReceiptLookup1764230400000 } from './migrations/1764230400000-ReceiptLookup';
import { MessageWhatsAppTemplate1764316800000 } from './migrations/1764316800000-MessageWhatsAppTemplate';
import { MessageRedrives1764360000000 } from './migrations/1764360000000-MessageRedrives';
import { Webhooks1764403200000 } from './migrations/1764403200000-Webhooks';
import { ApiKeyDailyLimit1764489600000 } from './migrations/1764489600000-ApiKeyDailyLimit';
import { MessageIdempotencyKey1764576000000 } from './migrations/1764576000000-MessageIdempotencyKey';
import { WebhookDeliveryRetention1764662400000 } from './migrations/1764662400000-WebhookDeliveryRetention';
import { WebhookRotationAndReplays1764835200000 } from './migrations/1764835200000-WebhookRotationAndReplays';
import { MessageAnalytics1764921600000 } from './migrations/1764921600000-MessageAnalytics';
import { MessageStatusCheck1765008000000 } from './migrations/1765008000000-MessageStatusCheck';
import { MessageTraceContext1765094400000 } from './migrations/1765094400000-MessageTraceContext';

export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  ProjectEntity,
  ApiKeyEntity,
  ConnectorEntity,
  MessageEntity,
  TemplateEntity,
  PendingReceiptEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  MessageStatsHourlyEntity,
  MessageLatencyHourlyEntity,
  MessageErrorsHourlyEntity,
];
export const MIGRATIONS = [
  Initial1764057600000,
  Templates1764144000000,
  ReceiptLookup1764230400000,
  MessageWhatsAppTemplate1764316800000,
  MessageRedrives1764360000000,
  Webhooks1764403200000,
  ApiKeyDailyLimit1764489600000,
  MessageIdempotencyKey1764576000000,
  WebhookDeliveryRetention1764662400000,
  WebhookRotationAndReplays1764835200000,
  MessageAnalytics1764921600000,
  MessageStatusCheck1765008000000,
  MessageTraceContext1765094400000,
];

export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsTransactionMode: 'all',
    applicationName: options.applicationName ?? 'messagejs',
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
    logging: false,
  });
}

const MIGRATION_LOCK = 7_270_001;

/** Applies pending migrations; an advisory lock makes it safe when several processes start at once. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource(url, { poolSize: 2, applicationName: 'messagejs-migrate' });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    // Best effort: releasing the connection below ends the session, and the lock with it.
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
