import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { createDataSource } from './data-source';
import { ConnectorRepository } from './repositories/connector.repository';
import { MessageReadRepository } from './repositories/message-read.repository';
import { ProjectReadRepository } from './repositories/project-read.repository';

/** The repositories of tables that several apps read; each app's own tables have theirs in the app. */
const REPOSITORIES = [ConnectorRepository, MessageReadRepository, ProjectReadRepository];

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
