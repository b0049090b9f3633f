import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/transport';
import { AuthContext, CurrentAuth } from '../auth/auth-context';
import { MessageAuthGuard } from '../auth/message-auth.guard';
import { ProjectAccess } from '../auth/project-access';
import { Problem } from '../http/problem';
import { UuidParam } from '../http/uuid.param';
import { GatewayMetrics } from '../health/gateway.metrics';
import { IDEMPOTENCY_KEY_DOC, REPLAYED_HEADER_DOC } from '../idempotency/idempotency.openapi';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiRateLimited, RATE_LIMIT_HEADERS_DOC } from '../rate-limit/rate-limit.openapi';
import { DailyLimit } from '../rate-limit/daily-limit';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import {
  AcceptedMessageDto,
  ListMessagesQueryDto,
  MessagePageDto,
  MessageWithEventsDto,
  ProjectQueryDto,
  SendMessageDto,
} from './messages.dto';

@ApiTags('messages')
// Listed first, so a generated client holding both tokens sends the API key here.
@ApiBearerAuth('jwt')
@ApiBearerAuth('apiKey')
@UseGuards(MessageAuthGuard, RateLimitGuard)
@ApiRateLimited()
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly access: ProjectAccess,
    private readonly metrics: GatewayMetrics,
    private readonly idempotency: IdempotencyService,
    private readonly dailyLimit: DailyLimit,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ operationId: 'sendMessage', summary: 'Send one message (durably accepted)' })
  @ApiHeader(IDEMPOTENCY_KEY_DOC)
  @ApiResponse({ status: 202, type: AcceptedMessageDto, headers: { ...RATE_LIMIT_HEADERS_DOC, ...REPLAYED_HEADER_DOC } })
  async send(
    @CurrentAuth() auth: AuthContext,
    @Body() body: SendMessageDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedMessageDto | Problem> {
    const stop = this.metrics.acceptLatency.startTimer();
    if (
      auth.kind === 'apiKey' &&
      auth.keyType === 'public' &&
      (!body.template || body.message !== undefined || body.metadata !== undefined || body.subject !== undefined)
    ) {
      // A subject is free text too (an email's first line): a key copied from a web page must not carry any.
      throw new DomainError(ErrorCode.Forbidden, 'a public key can only send a template (no free text, subject or metadata)');
    }
    const { projectId: named, template, ...rest } = body;
    const projectId = await this.projectOf(auth, named);
    const command = template ? { ...rest, template: { name: template.name, variables: template.variables ?? {} } } : rest;
    const accept = () =>
      this.idempotency.run(req, res, projectId, (idempotency) => this.rpc.send('messages.accept', { ...command, projectId, idempotency }));
    const outcome =
      auth.kind === 'apiKey' && auth.dailyLimit !== null
        ? await this.dailyLimit.spend(auth.keyId, auth.dailyLimit, res, accept)
        : await accept();
    if (outcome.replayed) return outcome.body;
    stop();
    this.metrics.accepted.inc({ connector: outcome.body.connector.type });
    return outcome.body;
  }

  @Get()
  @ApiOperation({ operationId: 'listMessages', summary: 'List messages, newest first' })
  @ApiResponse({ status: 200, type: MessagePageDto, headers: RATE_LIMIT_HEADERS_DOC })
  async list(@CurrentAuth() auth: AuthContext, @Query() query: ListMessagesQueryDto): Promise<MessagePageDto> {
    const { projectId: named, limit, ...filters } = query;
    const projectId = await this.projectOf(auth, named);
    return this.rpc.send('messages.list', { ...filters, projectId, limit: limit ?? 20 });
  }

  @Get(':messageId')
  @ApiOperation({ operationId: 'getMessage', summary: 'One message with its status history' })
  @ApiResponse({ status: 200, type: MessageWithEventsDto, headers: RATE_LIMIT_HEADERS_DOC })
  async get(
    @CurrentAuth() auth: AuthContext,
    @UuidParam('messageId') messageId: string,
    @Query() query: ProjectQueryDto,
  ): Promise<MessageWithEventsDto> {
    const projectId = await this.projectOf(auth, query.projectId);
    return this.rpc.send('messages.get', { projectId, messageId });
  }

  @Post(':messageId/retry')
  @HttpCode(202)
  @ApiOperation({ operationId: 'retryMessage', summary: 'Send a failed message again (one more round of attempts)' })
  @ApiResponse({ status: 202, type: MessageWithEventsDto })
  async retry(
    @CurrentAuth() auth: AuthContext,
    @UuidParam('messageId') messageId: string,
    @Query() query: ProjectQueryDto,
  ): Promise<MessageWithEventsDto> {
    const projectId = await this.projectOf(auth, query.projectId);
    return this.rpc.send('messages.retry', { projectId, messageId });
  }

  /** An API key carries its project; a JWT must name one the user owns. */
  private async projectOf(auth: AuthContext, named: string | undefined): Promise<string> {
    if (auth.kind === 'apiKey') {
      if (named !== undefined && named !== auth.projectId)
        throw DomainError.validation('projectId', "does not match the API key's project");
      return auth.projectId;
    }
    if (!named) throw DomainError.validation('projectId', 'is required when authenticating with an access token');
    await this.access.assertOwner(auth.userId, named);
    return named;
  }
}
