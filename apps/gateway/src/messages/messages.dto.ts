import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import {
  CONNECTOR_TYPES,
  MESSAGE_STATUSES,
  MessageStatus,
  PROVIDER_CODE_MAX_LENGTH,
  PROVIDER_MESSAGE_MAX_LENGTH,
  TEMPLATE_NAME_PATTERN,
} from '@app/contracts';
import { IsConnectorRef, IsTimestamp, PageLimit } from '../http/query-validators';

/** A flat object of string values: at most 50 keys of ≤ 40 characters, values ≤ 500 characters (Stripe's limits). */
function IsStringMap(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an object of at most 50 string values (keys ≤ 40, values ≤ 500 characters)`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= 50 && entries.every(([k, v]) => k.length > 0 && k.length <= 40 && typeof v === 'string' && v.length <= 500)
          );
        },
      },
    });
}

const MAX_MESSAGE_LENGTH = 262_144;

/** Why `message` is refused, or null. "Exactly one of message and template" comes first, alone. */
function messageProblem(dto: SendMessageDto, value: unknown): string | null {
  if ((value === undefined) === (dto.template === undefined)) return 'exactly one of message and template is required';
  if (value === undefined) return null;
  if (typeof value !== 'string') return 'message must be a string';
  if (value.length === 0) return 'message must not be empty';
  if (value.length > MAX_MESSAGE_LENGTH) return `message must be shorter than or equal to ${MAX_MESSAGE_LENGTH} characters`;
  return null;
}

/**
 * One check for `message`: class-validator gates all of a property's checks together (ValidateIf,
 * IsOptional), so the alternative with `template` and the text limits cannot be separate decorators.
 */
function IsMessageOrTemplate(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMessageOrTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args) => messageProblem(args?.object as SendMessageDto, value) === null,
        defaultMessage: (args) => messageProblem(args?.object as SendMessageDto, args?.value) ?? '',
      },
    });
}

export class MessageTemplateDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    pattern: TEMPLATE_NAME_PATTERN.source,
    description: "The name of one of the project's templates",
    example: 'welcome',
  })
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'name must be a template name (letters, digits, _, . and -)' })
  name: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "A value for each of the template's variables, no more and no fewer; inserted as is, never escaped",
    example: { name: 'Ada' },
  })
  @IsOptional()
  @IsObject()
  @IsStringMap()
  variables?: Record<string, string>;
}

export class SendMessageDto {
  @ApiProperty({
    description: 'Recipient, as the channel takes it: E.164 for twilio/whatsapp, a chat id or @channel for telegram, an email for smtp',
    example: '123456789',
  })
  @IsString()
  @Length(1, 320)
  to: string;

  @ApiPropertyOptional({
    description: 'The text to send. Exactly one of message and template is required',
    example: 'Hello from MessageJS',
    minLength: 1,
    maxLength: MAX_MESSAGE_LENGTH,
  })
  @IsMessageOrTemplate()
  message?: string;

  @ApiPropertyOptional({ type: MessageTemplateDto, description: 'A project template to render instead of message text' })
  @ValidateIf((o: SendMessageDto) => o.template !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => MessageTemplateDto)
  template?: MessageTemplateDto;

  @ApiProperty({ description: 'A connector id, or a connector type when the project has exactly one of that type', example: 'telegram' })
  @IsString()
  @Length(1, 100)
  connector: string;

  @ApiPropertyOptional({ description: 'Email subject (smtp only)', maxLength: 998 })
  @IsOptional()
  @IsString()
  @MaxLength(998)
  subject?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { orderId: '42' } })
  @IsOptional()
  @IsObject()
  @IsStringMap()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only with a dashboard JWT: the project to send from' })
  @IsOptional()
  @IsUUID()
  projectId?: string;
}

export class ListMessagesQueryDto {
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES, { message: `status must be one of ${MESSAGE_STATUSES.join(', ')}` })
  status?: MessageStatus;
  @ApiPropertyOptional({ description: 'A connector id or type' }) @IsOptional() @IsConnectorRef() connector?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(320) to?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' }) @IsOptional() @IsTimestamp() since?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' }) @IsOptional() @IsTimestamp() until?: string;
  @PageLimit(20)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[\w-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only with a dashboard JWT' }) @IsOptional() @IsUUID() projectId?: string;
}

export class ProjectQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only with a dashboard JWT' }) @IsOptional() @IsUUID() projectId?: string;
}

class ConnectorRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONNECTOR_TYPES }) type: string;
}

class MessageErrorDto {
  @ApiProperty({ description: "The provider's code" }) code: string;
  @ApiProperty() message: string;
}

export class AcceptedMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
  @ApiProperty({ type: ConnectorRefDto }) connector: ConnectorRefDto;
  @ApiProperty() to: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ type: ConnectorRefDto }) connector: ConnectorRefDto;
  @ApiProperty() to: string;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: MessageStatus;
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty({ type: MessageErrorDto, nullable: true }) error: MessageErrorDto | null;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) sentAt: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) deliveredAt: string | null;
}

class ProviderOutcomeDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 100,
    maximum: 599,
    description: "The HTTP status of the provider's answer; absent when it did not answer, or for SMTP",
  })
  httpStatus?: number;
  @ApiPropertyOptional({ maxLength: PROVIDER_CODE_MAX_LENGTH, description: "The provider's own error code", example: '21211' })
  code?: string;
  @ApiPropertyOptional({
    maxLength: PROVIDER_MESSAGE_MAX_LENGTH,
    description: "The provider's own description (never a full body or a credential)",
    example: "The 'To' number +15005550001 is not a valid phone number.",
  })
  message?: string;
}

export class MessageEventDto {
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: MessageStatus;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ description: "The provider's code, when the event records a provider answer" }) code?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Which send attempt the event records' }) attempt?: number;
  @ApiPropertyOptional({ type: ProviderOutcomeDto, description: 'What the provider answered to this attempt, or said in this receipt' })
  provider?: ProviderOutcomeDto;
}

export class MessageWithEventsDto extends MessageDto {
  @ApiProperty({ type: [MessageEventDto], description: 'Oldest first' }) events: MessageEventDto[];
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) data: MessageDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}
