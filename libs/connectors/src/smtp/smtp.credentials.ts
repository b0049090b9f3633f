import { ThroughputConfig } from '../throughput';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isEmail, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';

export interface SmtpSender {
  /** The display name, unquoted; '' when there is none. */
  name: string;
  address: string;
}

/** A header line's worth (RFC 5322 allows 998 characters per line). */
export const SMTP_FROM_MAX_LENGTH = 998;

const QUOTED = /^"((?:[^"\\]|\\.)*)"$/s;
// eslint-disable-next-line no-control-regex -- finding control characters (header injection) is this pattern's job
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Reads `address` or `Name <address>` (the name may be "quoted"); null when the address is not an
 * email address, or the name could break the header (control characters, stray quotes or brackets).
 */
export function parseSmtpSender(from: string): SmtpSender | null {
  if (from.length > SMTP_FROM_MAX_LENGTH || CONTROL.test(from)) return null;
  const split = splitNameAddr(from);
  if (!split) return isEmail(from) ? { name: '', address: from } : null;
  const [rawName, address] = split;
  const quoted = QUOTED.exec(rawName.trim());
  const name = quoted ? quoted[1].replace(/\\(.)/g, '$1') : rawName.trim();
  if (!quoted && /["<>]/.test(name)) return null;
  return isEmail(address) ? { name, address } : null;
}

/**
 * `Name <address>` as [name, address] (the address holds no < or >), else null. Index arithmetic,
 * not a regex: `^(.*?)\s*<…>\s*$` backtracks quadratically on a long run of spaces.
 */
function splitNameAddr(from: string): [string, string] | null {
  const end = from.trimEnd();
  if (!end.endsWith('>')) return null;
  const open = end.lastIndexOf('<');
  if (open === -1) return null;
  const address = end.slice(open + 1, -1);
  return address.includes('>') ? null : [end.slice(0, open), address];
}

function IsSmtpSender(): PropertyDecorator {
  return ValidateBy({
    name: 'isSmtpSender',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseSmtpSender(value) !== null,
      defaultMessage: () => `from must be an email address or "Name <email address>", at most ${SMTP_FROM_MAX_LENGTH} characters`,
    },
  });
}

export class SmtpCredentials {
  @ApiProperty({
    description: 'SMTP server host name or IP address; must reach a public address',
    example: 'smtp.example.com',
    maxLength: 253,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(253)
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

  @ApiPropertyOptional({ description: 'SMTP AUTH user name; no AUTH is attempted without it', maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ description: 'SMTP AUTH password', writeOnly: true, maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;

  @ApiProperty({
    description: 'The sender: an email address or "Name <email address>"',
    example: 'Acme <no-reply@acme.com>',
    maxLength: SMTP_FROM_MAX_LENGTH,
  })
  @IsSmtpSender()
  from: string;
}

/** SMTP takes no config; the empty class makes any config field an unknown one. */
export class SmtpConfig extends ThroughputConfig {}
