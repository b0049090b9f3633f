import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ConnectorType } from '@app/contracts';

/** Sends per second we allow per connector unless its config says otherwise: under each provider's own limit. */
export const DEFAULT_MAX_PER_SECOND: Record<ConnectorType, number> = {
  telegram: 30,
  whatsapp: 80,
  twilio: 10,
  smtp: 10,
};

/** Sends in flight per connector unless its config says otherwise. */
export const DEFAULT_MAX_CONCURRENT = 10;

/** The config every connector type shares: its own throughput ceiling. */
export class ThroughputConfig {
  @ApiPropertyOptional({
    description: 'Sends per second through this connector (defaults: telegram 30, whatsapp 80, twilio 10, smtp 10)',
    minimum: 1,
    maximum: 100000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxPerSecond?: number;

  @ApiPropertyOptional({
    description: 'Sends in flight through this connector at once, across all workers: a slow or hanging provider holds at most this many',
    minimum: 1,
    maximum: 1000,
    default: DEFAULT_MAX_CONCURRENT,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxConcurrent?: number;
}

export function maxConcurrentOf(config: Record<string, unknown> | null | undefined): number {
  const configured = config?.maxConcurrent;
  return typeof configured === 'number' && configured > 0 ? configured : DEFAULT_MAX_CONCURRENT;
}

export function maxPerSecondOf(type: ConnectorType, config: Record<string, unknown> | null | undefined): number {
  const configured = config?.maxPerSecond;
  return typeof configured === 'number' && configured > 0 ? configured : DEFAULT_MAX_PER_SECOND[type];
}
