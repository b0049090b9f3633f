import { Controller, Get, Header, Inject, OnApplicationShutdown, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type Redis from 'ioredis';
import { Pool } from 'pg';
import { DomainError, ErrorCode } from '@app/contracts';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';
import { safeEqual } from '@app/crypto';
import { bearerToken } from '../auth/auth-context';
import { GatewayMetrics } from './gateway.metrics';

const CHECK_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
}

@ApiTags('health')
@Controller()
export class HealthController implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly redis: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
    this.pool.on('error', () => undefined); // an idle probe connection lost: /readyz reports PostgreSQL on its next call
    this.redis = createRedis(config, 'readiness probe', 'probe');
  }

  @Get('healthz')
  @ApiOperation({ operationId: 'healthz', summary: 'The process is alive' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ operationId: 'readyz', summary: 'PostgreSQL and Redis both answer' })
  async readyz(): Promise<{ status: 'ready'; postgres: 'up'; redis: 'up' }> {
    const [postgres, redis] = await Promise.all([
      within(this.pool.query('SELECT 1')).then(
        () => true,
        () => false,
      ),
      within(this.redis.status === 'ready' ? this.redis.ping() : this.redis.connect().then(() => this.redis.ping())).then(
        () => true,
        () => false,
      ),
    ]);
    const down = [!postgres && 'PostgreSQL', !redis && 'Redis'].filter(Boolean);
    if (down.length) throw new DomainError(ErrorCode.Unavailable, `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} not answering`);
    return { status: 'ready', postgres: 'up', redis: 'up' };
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  async prometheus(@Req() req: Request, @Res() res: Response): Promise<void> {
    // With METRICS_TOKEN set, only the scraper that holds it may read (queue depths, tenants' traffic).
    const expected = this.config.metricsToken;
    if (expected && !safeEqual(bearerToken(req) ?? '', expected)) {
      throw new DomainError(ErrorCode.Unauthorized, 'metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  async onApplicationShutdown(): Promise<void> {
    // Best effort: the process is exiting, and an unreachable server leaves nothing to close.
    await Promise.all([this.pool.end().catch(() => undefined), closeRedis(this.redis)]);
  }
}
