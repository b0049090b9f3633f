import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { analyticsWindow } from '@app/contracts';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { ProjectAccess } from '../auth/project-access';
import { UuidParam } from '../http/uuid.param';
import { AnalyticsDto, AnalyticsQueryDto } from './analytics.dto';

@ApiTags('analytics')
@ApiBearerAuth('jwt')
@UseGuards(JwtGuard)
@Controller('projects/:projectId/analytics')
export class AnalyticsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly access: ProjectAccess,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getProjectAnalytics',
    summary: 'Message counts over time, per-connector totals and latency, and the commonest errors (from hourly rollups)',
  })
  @ApiResponse({ status: 200, type: AnalyticsDto })
  async get(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Query() query: AnalyticsQueryDto,
  ): Promise<AnalyticsDto> {
    const window = analyticsWindow(query);
    await this.access.assertOwner(userId, projectId);
    const connector = window.connector && ('id' in window.connector ? window.connector.id : window.connector.type);
    return this.rpc.send('analytics.get', {
      projectId,
      from: window.from,
      to: window.to,
      interval: window.interval,
      ...(connector ? { connector } : {}),
    });
  }
}
