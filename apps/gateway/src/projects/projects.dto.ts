import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CONNECTOR_TYPES, ConnectorType, PUBLIC_KEY_DAILY_LIMIT_DEFAULT, PUBLIC_KEY_DAILY_LIMIT_MAX } from '@app/contracts';

export class CreateProjectDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'My shop' }) @IsString() @Length(1, 100) name: string;
}

export class UpdateProjectDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) name?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    nullable: true,
    description: "Requests per second per API key; null restores the default. At most the operator's PROJECT_MAX_RATE_LIMIT (default 1000)",
  })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  rateLimitPerSecond?: number | null;
}

export class ProjectDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer', nullable: true }) rateLimitPerSecond: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ProjectListDto {
  @ApiProperty({ type: [ProjectDto] }) data: ProjectDto[];
}

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'production server' }) @IsString() @Length(1, 100) name: string;

  @ApiPropertyOptional({ enum: ['secret', 'public'], default: 'secret' }) @IsOptional() @IsIn(['secret', 'public']) type?:
    'secret' | 'public';

  @ApiPropertyOptional({
    type: [String],
    description: 'Public keys only: the browser origins allowed to use it',
    example: ['https://shop.example.com'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { each: true, message: 'allowedOrigins must be origins like https://example.com' },
  )
  @MaxLength(2048, { each: true, message: 'allowedOrigins entries must be at most 2048 characters' })
  allowedOrigins?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PUBLIC_KEY_DAILY_LIMIT_MAX,
    default: PUBLIC_KEY_DAILY_LIMIT_DEFAULT,
    description: 'Public keys only: messages it may send per UTC day; past it, 429 daily-limit-reached until 00:00 UTC',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PUBLIC_KEY_DAILY_LIMIT_MAX)
  dailyLimit?: number;
}

export class UpdateApiKeyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) name?: string;

  @ApiPropertyOptional({ type: [String], description: 'Public keys only: replaces the allowed origins whole' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { each: true, message: 'allowedOrigins must be origins like https://example.com' },
  )
  @MaxLength(2048, { each: true, message: 'allowedOrigins entries must be at most 2048 characters' })
  allowedOrigins?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PUBLIC_KEY_DAILY_LIMIT_MAX,
    description: 'Public keys only: messages per UTC day, from now on',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PUBLIC_KEY_DAILY_LIMIT_MAX)
  dailyLimit?: number;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['secret', 'public'] }) type: 'secret' | 'public';
  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'mjs_sk_4fZ8kQ2mX9aB' }) prefix: string;
  @ApiProperty({ type: [String], nullable: true }) allowedOrigins: string[] | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Public keys: messages per UTC day; null for secret keys' }) dailyLimit:
    number | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the key last authenticated a request, to the minute (updated at most once a minute); null if never',
  })
  lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response; store it now.' }) key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) data: ApiKeyDto[];
}

export class CreateConnectorDto {
  @ApiProperty({ enum: CONNECTOR_TYPES }) @IsIn(CONNECTOR_TYPES) type: ConnectorType;
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Support bot' }) @IsString() @Length(1, 100) name: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Write-only. telegram: {botToken}',
    example: { botToken: '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11' },
  })
  @IsObject()
  credentials: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'telegram: {baseUrl}' })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
}

export class UpdateConnectorDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Replaces the stored credentials whole' })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() config?: Record<string, unknown>;
}

export class ConnectorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONNECTOR_TYPES }) type: ConnectorType;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) config: Record<string, unknown>;
  @ApiProperty({
    type: String,
    format: 'uri',
    nullable: true,
    readOnly: true,
    description:
      "Paste this into the provider's console (Twilio's status callback, Meta's webhook callback URL) so delivery receipts reach the connector. Built from PUBLIC_URL; null when PUBLIC_URL is not set or the channel sends no receipts (telegram, smtp).",
    example: 'https://api.example.com/api/v1/callbacks/twilio/0b8a5c1e-2f4d-4c3b-9a7e-6d5f4e3c2b1a',
  })
  callbackUrl: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ConnectorListDto {
  @ApiProperty({ type: [ConnectorDto] }) data: ConnectorDto[];
}

export class VerifyResultDto {
  @ApiProperty({ enum: [true] }) ok: true;
  @ApiPropertyOptional({ description: 'Who the provider says the credentials belong to, e.g. @my_bot' }) identity?: string;
}
