import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { createDataSource } from './data-source';
import { ConnectorRepository } from './repositories/connector.repository';
import { MessageReadRepository } from './repositories/message-read.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { ProjectRepository } from './repositories/project.repository';
import { RefreshTokenRepository } from './repositories/refresh-token.repository';
import { TemplateRepository } from './repositories/template.repository';
import { UserRepository } from './repositories/user.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { WebhookEndpointRepository } from './repositories/webhook-endpoint.repository';

/**
 * One repository per table, for every app that imports the module (each is a thin class; an app that
 * does not inject one pays nothing). The message pipeline's hot paths keep theirs in the app that owns
 * them (the dispatcher's messages, receipts and analytics; the webhooks app's deliveries).
 */
const REPOSITORIES = [
  ApiKeyRepository,
  ConnectorRepository,
  MessageReadRepository,
  ProjectRepository,
  RefreshTokenRepository,
  TemplateRepository,
  UserRepository,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
];

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const dataSource = createDataSource(config.databaseUrl, { poolSize: config.databasePoolSize });
        return dataSource.initialize();
      },
    },
    ...REPOSITORIES,
  ],
  exports: [DataSource, ...REPOSITORIES],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
