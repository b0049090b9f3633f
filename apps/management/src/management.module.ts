import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, ConfigModule } from '@app/config';
import { ConnectorRegistry } from '@app/connectors';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { TransportModule, WebhookDeliveryQueueModule } from '@app/transport';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { ConnectorsController } from './connectors/connectors.controller';
import { ConnectorsService } from './connectors/connectors.service';
import { secretBoxProvider } from '@app/crypto';
import { ConnectorLoader } from '@app/connectors';
import { VerifyTokenMove } from './connectors/verify-token.move';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesService } from './templates/templates.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhookDeliveriesService } from './webhooks/webhook-deliveries.service';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forApp('management'),
    DatabaseModule,
    TransportModule,
    WebhookDeliveryQueueModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { expiresIn: '15m', algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, ProjectsController, ApiKeysController, ConnectorsController, TemplatesController, WebhooksController],
  providers: [
    AuthService,
    ProjectsService,
    ApiKeysService,
    ConnectorsService,
    TemplatesService,
    WebhooksService,
    WebhookDeliveriesService,
    secretBoxProvider,
    ConnectorRegistry,
    ConnectorLoader,
    VerifyTokenMove,
  ],
})
export class ManagementModule {}
