import { ThroughputConfig } from '../throughput';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';

export const WHATSAPP_DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const WHATSAPP_DEFAULT_API_VERSION = 'v21.0';

export class WhatsAppCredentials {
  @ApiProperty({
    description: 'A system-user access token with the whatsapp_business_messaging permission',
    example: 'EAAG…',
    writeOnly: true,
    minLength: 20,
    maxLength: 4096,
  })
  @IsString()
  @Length(20, 4096)
  accessToken: string;

  @ApiProperty({
    description: 'The Phone number ID from WhatsApp Manager (not the phone number itself)',
    example: '106540352242922',
    maxLength: 64,
  })
  @IsString()
  @MaxLength(64)
  @Matches(/^\d+$/, { message: 'phoneNumberId must contain only digits' })
  phoneNumberId: string;

  @ApiPropertyOptional({
    description: "The Meta app's secret, to check X-Hub-Signature-256 on status webhooks",
    writeOnly: true,
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  appSecret?: string;

  @ApiPropertyOptional({
    description: 'The Verify Token you enter in the Meta app dashboard, echoed in the webhook handshake',
    minLength: 8,
    maxLength: 200,
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Length(8, 200)
  verifyToken?: string;
}

export class WhatsAppConfig extends ThroughputConfig {
  @ApiPropertyOptional({
    description: 'The Graph API host, or a test fake; must reach a public address unless the operator allows its host',
    default: WHATSAPP_DEFAULT_BASE_URL,
    maxLength: 2048,
  })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl?: string;

  @ApiPropertyOptional({ description: 'The Graph API version', default: WHATSAPP_DEFAULT_API_VERSION, example: 'v21.0' })
  @IsOptional()
  @IsString()
  @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v21.0' })
  apiVersion?: string;
}
