import { ThroughputConfig } from '../throughput';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isEmail, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';

export interface SmtpSender {
  /** The display name, unquoted; '' when there is none. */
  name: string;
  address: string;
}

// eslint-disable-next-line regexp/no-super-linear-backtracking -- fixed by sec-conn (issue 9)
const NAME_ADDR = /^(.*?)\s*<([^<>]*)>\s*$/s;
const QUOTED = /^"((?:[^"\\]|\\.)*)"$/s;
// eslint-disable-next-line no-control-regex -- finding control characters (header injection) is this pattern's job
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Reads `address` or `Name <address>` (the name may be "quoted"); null when the address is not an
 * email address, or the name could break the header (control characters, stray quotes or brackets).
 */
export function parseSmtpSender(from: string): SmtpSender | null {
  if (CONTROL.test(from)) return null;
  const match = NAME_ADDR.exec(from);
  if (!match) return isEmail(from) ? { name: '', address: from } : null;
  const [, rawName, address] = match;
  const quoted = QUOTED.exec(rawName.trim());
  const name = quoted ? quoted[1].replace(/\\(.)/g, '$1') : rawName.trim();
  if (!quoted && /["<>]/.test(name)) return null;
  return isEmail(address) ? { name, address } : null;
}

function IsSmtpSender(): PropertyDecorator {
  return ValidateBy({
    name: 'isSmtpSender',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseSmtpSender(value) !== null,
      defaultMessage: () => 'from must be an email address or "Name <email address>"',
    },
  });
}

export class SmtpCredentials {
  @ApiProperty({ description: 'SMTP server host name or IP address', example: 'smtp.example.com' })
  @IsString()
  @IsNotEmpty()
  host: string;

  @ApiProperty({ description: '465 for implicit TLS, 587 for submission with STARTTLS', example: 587 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @ApiPropertyOptional({
    description:
      'TLS from the first byte (implicit TLS); when false, STARTTLS is used if the server offers it. ' +
      'Defaults to true on port 465, else false',
  })
  @IsOptional()
  @IsBoolean()
  secure?: boolean;

  @ApiPropertyOptional({ description: 'SMTP AUTH user name; no AUTH is attempted without it' })
  @IsOptional()
  @IsString()
  username?: string;

  @ApiPropertyOptional({ description: 'SMTP AUTH password', writeOnly: true })
  @IsOptional()
  @IsString()
  password?: string;

  @ApiProperty({ description: 'The sender: an email address or "Name <email address>"', example: 'Acme <no-reply@acme.com>' })
  @IsSmtpSender()
  from: string;
}

/** SMTP takes no config; the empty class makes any config field an unknown one. */
export class SmtpConfig extends ThroughputConfig {}
