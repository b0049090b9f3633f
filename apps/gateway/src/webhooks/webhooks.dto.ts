import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  WebhookDeliveryEventType,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@app/contracts';
import { PageLimit } from '../http/query-validators';

const URL_RULE = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const URL_DESCRIPTION =
  'Where events are POSTed; must reach a public address (loopback, private, link-local and cloud metadata addresses are refused)';

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 2048, description: URL_DESCRIPTION, example: 'https://example.com/webhooks/messagejs' })
  @IsUrl(URL_RULE, { message: 'url must be an http or https URL' })
  @MaxLength(2048)
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENT_TYPES, minItems: 1, uniqueItems: true, example: ['message.sent', 'message.failed'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events: WebhookEventType[];
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048, description: URL_DESCRIPTION })
  @IsOptional()
  @IsUrl(URL_RULE, { message: 'url must be an http or https URL' })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: [String], enum: WEBHOOK_EVENT_TYPES, minItems: 1, uniqueItems: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events?: WebhookEventType[];

  @ApiPropertyOptional({
    description:
      'true re-enables an endpoint disabled by a 410 Gone or by its owner (events missed meanwhile are not replayed); false disables it',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String], enum: WEBHOOK_EVENT_TYPES }) events: WebhookEventType[];
  @ApiProperty({ description: 'false once the endpoint answered 410 Gone or its owner disabled it: nothing is delivered then' })
  enabled: boolean;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'the endpoint answered 410 Gone' }) disabledReason: string | null;
  @ApiProperty({
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'After a secret rotation: until when deliveries also carry a signature by the previous secret; null otherwise',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description: 'The signing secret (Standard Webhooks): `whsec_` + base64. Shown only in this response; store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) data: WebhookDto[];
}

export class ListWebhookDeliveriesQueryDto {
  @PageLimit(20)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    description: 'The webhook-id header: the same on every attempt of one event, and on its replays',
    example: 'msg_2b1f0c4e9d7a4f3b8c6e5d4a3b2c1d0e',
  })
  webhookId: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'The message the event is about; null for webhook.test' })
  messageId: string | null;
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT] }) eventType: WebhookDeliveryEventType;
  @ApiProperty({ type: 'integer', minimum: 0, description: "0 for the event's first delivery; n for its nth replay" }) replay: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Attempt number within this delivery (or replay)' }) attempt: number;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_STATUSES,
    description:
      'pending: not tried yet; succeeded: a 2xx; retrying: failed, another attempt follows at nextAttemptAt; failed: failed, no attempt follows',
  })
  status: WebhookDeliveryStatus;
  @ApiProperty({ type: 'integer', nullable: true, description: "The endpoint's HTTP status; null when it did not answer" }) responseStatus:
    number | null;
  @ApiProperty({ type: 'integer', nullable: true }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'no answer within 15 s' }) error: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true, description: 'While retrying: when the next attempt is due' })
  nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the attempt was made' }) createdAt: string;
}

export class RotatedWebhookSecretDto {
  @ApiProperty({
    description: 'The new signing secret: shown only in this response; store it now',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Until then deliveries carry two signatures (`v1,<new> v1,<old>`), so receivers holding either secret verify them',
  })
  previousSecretExpiresAt: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first' }) data: WebhookDeliveryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}
