import { ThroughputConfig } from '../throughput';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

export const TELEGRAM_DEFAULT_BASE_URL = 'https://api.telegram.org';

export class TelegramCredentials {
  @ApiProperty({
    description: 'The bot token @BotFather gave you',
    example: '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11',
    writeOnly: true,
    maxLength: 200,
  })
  @IsString()
  @MaxLength(200)
  @Matches(/^\d+:[\w-]{20,}$/, { message: 'botToken must look like 123456:ABC-DEF…' })
  botToken: string;
}

export class TelegramConfig extends ThroughputConfig {
  @ApiPropertyOptional({
    description: 'A self-hosted Bot API server or a test fake; must reach a public address unless the operator allows its host',
    default: TELEGRAM_DEFAULT_BASE_URL,
    maxLength: 2048,
  })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl?: string;
}
