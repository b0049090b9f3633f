import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, ValidationOptions } from 'class-validator';
import { isConnectorType, UUID_PATTERN } from '@app/contracts';

/** RFC 3339: a full date, or a date-time with seconds optional and an offset (what PostgreSQL's timestamptz reads). */
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Whether the parts name a real calendar date and clock time (no 30 February, no hour 24), years 1–9999. */
function isRealTimestamp(value: string): boolean {
  const m = TIMESTAMP_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  if (year! < 1 || month! < 1 || month! > 12 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = [31, isLeap(year!) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  return day! >= 1 && day! <= daysInMonth;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function define(name: string, message: string, validate: (value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} ${message}`, ...options },
      validator: { validate },
    });
}

/** A point in time the database reads exactly as the client meant it; anything else is a 422, never a failing query. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return define(
    'isTimestamp',
    'must be an RFC 3339 date-time (2026-01-31T12:00:00Z) or date',
    (value) => typeof value === 'string' && isRealTimestamp(value),
    options,
  );
}

/** A connector id (a UUID) or a connector type. */
export function IsConnectorRef(options?: ValidationOptions): PropertyDecorator {
  return define(
    'isConnectorRef',
    'must be a connector id or a connector type (telegram, whatsapp, twilio, smtp)',
    (value) => typeof value === 'string' && (UUID_PATTERN.test(value) || isConnectorType(value)),
    options,
  );
}

/** Every list's `limit` query parameter: an optional whole number from 1 to 100 (the list's own default when absent). */
export const MAX_PAGE_LIMIT = 100;

export function PageLimit(defaultLimit: number): PropertyDecorator {
  // In the order stacked decorators would run (bottom-up), so the constraints and their messages stay as they were.
  return applyDecorators(
    Max(MAX_PAGE_LIMIT),
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: defaultLimit }),
  );
}
