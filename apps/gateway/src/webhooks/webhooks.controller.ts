import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { UuidParam } from '../http/uuid.param';
import { resetSeconds } from '../rate-limit/rate-limit.policy';
import { RateLimiter } from '../rate-limit/rate-limiter';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  ListWebhookDeliveriesQueryDto,
  RotatedWebhookSecretDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookDto,
  WebhookListDto,
} from './webhooks.dto';

/** Test events and replays a user may ask for per minute, across their endpoints. */
const ON_DEMAND_DELIVERIES_PER_MINUTE = 60;

@ApiTags('webhooks')
@ApiBearerAuth('jwt')
@UseGuards(JwtGuard)
@Controller('projects/:projectId/webhooks')
export class WebhooksController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly limiter: RateLimiter,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Add an endpoint for Standard Webhooks; the signing secret is shown only in this response',
  })
  @ApiResponse({ status: 201, type: CreatedWebhookDto })
  create(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    return this.rpc.send('webhooks.create', { userId, projectId, ...body });
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: "List a project's webhook endpoints" })
  @ApiResponse({ status: 200, type: WebhookListDto })
  list(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<WebhookListDto> {
    return this.rpc.send('webhooks.list', { userId, projectId });
  }

  @Get(':webhookId')
  @ApiOperation({ operationId: 'getWebhook', summary: 'One webhook endpoint' })
  @ApiResponse({ status: 200, type: WebhookDto })
  get(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<WebhookDto> {
    return this.rpc.send('webhooks.get', { userId, projectId, webhookId });
  }

  @Patch(':webhookId')
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Change the URL or events; `enabled: true` re-enables a disabled endpoint' })
  @ApiResponse({ status: 200, type: WebhookDto })
  update(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.rpc.send('webhooks.update', { userId, projectId, webhookId, ...body });
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook endpoint' })
  @ApiResponse({ status: 204 })
  async delete(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<void> {
    await this.rpc.send('webhooks.delete', { userId, projectId, webhookId });
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'Every delivery attempt (time, status code, duration, error), newest first',
  })
  @ApiResponse({ status: 200, type: WebhookDeliveryPageDto })
  deliveries(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
    @Query() query: ListWebhookDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    return this.rpc.send('webhooks.deliveries', {
      userId,
      projectId,
      webhookId,
      limit: query.limit ?? 20,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'Replace the signing secret; for 24 h deliveries are signed by both the old and the new one',
  })
  @ApiResponse({ status: 200, type: RotatedWebhookSecretDto })
  rotateSecret(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<RotatedWebhookSecretDto> {
    return this.rpc.send('webhooks.rotateSecret', { userId, projectId, webhookId });
  }

  @Post(':webhookId/test')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'sendWebhookTest',
    summary: 'Deliver a webhook.test event to the endpoint now; it is logged and retried like any other delivery',
  })
  @ApiResponse({ status: 202, type: WebhookDeliveryDto, description: 'The pending delivery' })
  async test(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WebhookDeliveryDto> {
    await this.limitSends(userId, res);
    return this.rpc.send('webhooks.test', { userId, projectId, webhookId });
  }

  @Post(':webhookId/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'replayWebhookDelivery',
    summary: "Deliver a logged delivery's event again: same payload and webhook-id, fresh timestamp and signature",
  })
  @ApiResponse({ status: 202, type: WebhookDeliveryDto, description: 'The pending delivery (attempt 1 of the replay)' })
  async replay(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('webhookId') webhookId: string,
    @UuidParam('deliveryId') deliveryId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WebhookDeliveryDto> {
    await this.limitSends(userId, res);
    return this.rpc.send('webhooks.replay', { userId, projectId, webhookId, deliveryId });
  }

  /** Tests and replays make us POST to a URL the tenant chose: bounded per user, so they cannot be turned on someone's server. */
  private async limitSends(userId: string, res: Response): Promise<void> {
    const state = await this.limiter.hit(`webhook-sends:${userId}`, ON_DEMAND_DELIVERIES_PER_MINUTE, 60_000);
    if (state.allowed) return;
    const retryAfter = resetSeconds(state);
    res.setHeader('Retry-After', String(retryAfter));
    throw new DomainError(
      ErrorCode.RateLimited,
      `at most ${ON_DEMAND_DELIVERIES_PER_MINUTE} test and replay deliveries a minute; retry in ${retryAfter} s`,
    );
  }
}
