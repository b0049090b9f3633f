import { ThroughputConfig } from '../throughput';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateBy, ValidationArguments } from 'class-validator';

export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/** A Twilio phone number in E.164, or an alphanumeric sender ID (1–11 letters, digits, spaces; at least one letter). */
const TWILIO_SENDER = /^(?:\+[1-9]\d{6,14}|(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Lives on `from` so the error names a field. No @IsOptional there: it would skip this check
 * exactly when `from` is missing.
 */
function ExactlyOneSender(): PropertyDecorator {
  return ValidateBy({
    name: 'exactlyOneSender',
    validator: {
      validate: (from: unknown, args?: ValidationArguments) =>
        present(from) !== present((args?.object as Partial<TwilioCredentials> | undefined)?.messagingServiceSid),
      defaultMessage: () => 'give exactly one of from and messagingServiceSid',
    },
  });
}

/** The sender's format, checked only when there is one (the rule above handles its absence). */
function IsTwilioSender(): PropertyDecorator {
  return ValidateBy({
    name: 'isTwilioSender',
    validator: {
      validate: (from: unknown) => !present(from) || (typeof from === 'string' && TWILIO_SENDER.test(from)),
      defaultMessage: () => 'from must be an E.164 phone number (+14155552671) or an alphanumeric sender ID of up to 11 characters',
    },
  });
}

export class TwilioCredentials {
  @ApiProperty({ description: 'Your Twilio Account SID', example: 'AC0123456789abcdef0123456789abcdef' })
  @IsString()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'accountSid must be AC followed by 32 hexadecimal characters' })
  accountSid: string;

  @ApiProperty({ description: "The account's Auth Token", minLength: 16, maxLength: 64, writeOnly: true })
  @IsString()
  @Length(16, 64)
  authToken: string;

  @ApiPropertyOptional({
    description: 'The sender: a Twilio number in E.164 or an alphanumeric sender ID. Exactly one of from and messagingServiceSid.',
    example: '+14155552671',
  })
  @ExactlyOneSender()
  @IsTwilioSender()
  from?: string;

  @ApiPropertyOptional({
    description: 'A Messaging Service that picks the sender from its pool. Exactly one of from and messagingServiceSid.',
    example: 'MG0123456789abcdef0123456789abcdef',
  })
  @IsOptional()
  @IsString()
  @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'messagingServiceSid must be MG followed by 32 hexadecimal characters' })
  messagingServiceSid?: string;
}

export class TwilioConfig extends ThroughputConfig {
  @ApiPropertyOptional({
    description: 'Another Twilio API host or a test fake; must reach a public address unless the operator allows its host',
    default: TWILIO_DEFAULT_BASE_URL,
    maxLength: 2048,
  })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl?: string;
}
