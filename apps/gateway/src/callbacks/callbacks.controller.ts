import { Controller, Get, Header, Headers, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RpcClient } from '@app/transport';
import { UuidParam } from '../http/uuid.param';
import { formParams, single, twilioSignedUrl } from './callback-request';
import { TWILIO_STATUS_CALLBACK_SCHEMA, WHATSAPP_NOTIFICATION_SCHEMA, WebhookReceivedDto } from './callbacks.dto';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Provider receipts. Public: each provider signs its requests, and the dispatcher, which holds the
 * connector secrets, checks the signature. A bad or missing one is 403; an unknown connector 404.
 */
@ApiTags('callbacks')
@Controller('callbacks')
export class CallbacksController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('twilio/:connectorId')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiOperation({ operationId: 'twilioStatusCallback', summary: "Twilio's StatusCallback for messages sent through this connector" })
  @ApiHeader({ name: 'X-Twilio-Signature', required: true, description: 'HMAC-SHA1 of the callback URL and the sorted parameters' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: TWILIO_STATUS_CALLBACK_SCHEMA })
  @ApiProduces('text/xml')
  @ApiResponse({ status: 200, description: 'Recorded (an empty TwiML response)', schema: { type: 'string' } })
  async twilio(
    @UuidParam('connectorId') connectorId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: unknown,
  ): Promise<string> {
    const url = twilioSignedUrl(this.config.publicUrl, connectorId, req);
    await this.rpc.send('receipts.twilio', { connectorId, url, params: formParams(req.body), signature: single(signature) });
    return EMPTY_TWIML;
  }

  @Get('whatsapp/:connectorId')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    operationId: 'whatsappWebhookChallenge',
    summary: "Meta's webhook verification: echoes hub.challenge for the connector's verifyToken",
  })
  @ApiQuery({ name: 'hub.mode', required: true, schema: { type: 'string', enum: ['subscribe'] } })
  @ApiQuery({ name: 'hub.verify_token', required: true, schema: { type: 'string' } })
  @ApiQuery({ name: 'hub.challenge', required: true, schema: { type: 'string' } })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'The hub.challenge value, verbatim', schema: { type: 'string' } })
  async whatsappChallenge(
    @UuidParam('connectorId') connectorId: string,
    @Query('hub.mode') mode: unknown,
    @Query('hub.verify_token') verifyToken: unknown,
    @Query('hub.challenge') challenge: unknown,
  ): Promise<string> {
    const { ok } = await this.rpc.send('receipts.whatsappChallenge', { connectorId, mode: single(mode), verifyToken: single(verifyToken) });
    const echo = single(challenge);
    if (!ok || echo === undefined) {
      throw new DomainError(ErrorCode.Forbidden, "hub.mode must be subscribe and hub.verify_token the connector's verifyToken");
    }
    return echo;
  }

  @Post('whatsapp/:connectorId')
  @HttpCode(200)
  @ApiOperation({ operationId: 'whatsappWebhook', summary: 'WhatsApp Cloud API status notifications (sent, delivered, read, failed)' })
  @ApiHeader({
    name: 'X-Hub-Signature-256',
    required: true,
    description: "sha256=<hex HMAC-SHA256 of the raw body with the connector's appSecret>",
  })
  @ApiBody({ schema: WHATSAPP_NOTIFICATION_SCHEMA })
  @ApiResponse({ status: 200, description: 'Checked and recorded', type: WebhookReceivedDto })
  whatsapp(
    @UuidParam('connectorId') connectorId: string,
    @Req() req: Request,
    @Headers('x-hub-signature-256') signature: unknown,
  ): Promise<WebhookReceivedDto> {
    // main.ts mounts a raw parser on this path: the signature covers the exact bytes Meta sent.
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.rpc.send('receipts.whatsapp', { connectorId, rawBody: raw.toString('base64'), signature: single(signature) });
  }
}
