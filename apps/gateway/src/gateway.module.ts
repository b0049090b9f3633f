import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, ConfigModule } from '@app/config';
import { LoggerModule } from '@app/observability';
import { SendQueuesModule, TransportModule } from '@app/transport';
import { AnalyticsController } from './analytics/analytics.controller';
import { ApiKeyVerifier } from './auth/api-key.verifier';
import { AttemptLimits } from './auth/attempt-limits';
import { AuthAttemptsGuard } from './auth/auth-attempts.guard';
import { AuthController } from './auth/auth.controller';
import { CallbacksController } from './callbacks/callbacks.controller';
import { JwtGuard } from './auth/jwt.guard';
import { KeyUsage } from './auth/key-usage';
import { MessageAuthGuard } from './auth/message-auth.guard';
import { ProjectAccess } from './auth/project-access';
import { GatewayMetrics } from './health/gateway.metrics';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { IdempotencyService } from './idempotency/idempotency.service';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { MessagesController } from './messages/messages.controller';
import { ProjectsController } from './projects/projects.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { DailyLimit } from './rate-limit/daily-limit';
import { RateLimiter } from './rate-limit/rate-limiter';
import { TemplatesController } from './templates/templates.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forApp('gateway'),
    TransportModule,
    SendQueuesModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  controllers: [
    HealthController,
    AuthController,
    ProjectsController,
    TemplatesController,
    WebhooksController,
    AnalyticsController,
    MessagesController,
    CallbacksController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    ProblemFilter,
    JwtGuard,
    MessageAuthGuard,
    ApiKeyVerifier,
    AttemptLimits,
    AuthAttemptsGuard,
    KeyUsage,
    ProjectAccess,
    GatewayMetrics,
    RateLimiter,
    DailyLimit,
    RateLimitGuard,
    IdempotencyStore,
    IdempotencyService,
  ],
})
export class GatewayModule {}
