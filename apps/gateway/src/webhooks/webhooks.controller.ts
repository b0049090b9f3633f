import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { UuidParam } from '../http/uuid.param';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  ListWebhookDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookDeliveryPageDto,
  WebhookDto,
  WebhookListDto,
} from './webhooks.dto';

@ApiTags('webhooks')
@ApiBearerAuth('jwt')
@UseGuards(JwtGuard)
@Controller('projects/:projectId/webhooks')
export class WebhooksController {
  constructor(private readonly rpc: RpcClient) {}

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
}
