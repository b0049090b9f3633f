import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  ANALYTICS_INTERVALS,
  ANALYTICS_MAX_BUCKETS,
  ANALYTICS_TOP_ERRORS,
  AnalyticsInterval,
  CONNECTOR_TYPES,
  ConnectorType,
} from '@app/contracts';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start of the window, aligned down to its hour or day (UTC). Default: 24 hours (hour) or 30 days (day) before `to`',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the window, exclusive. Default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: ANALYTICS_INTERVALS,
    default: 'day',
    description: `Bucket size of the series (UTC). At most ${ANALYTICS_MAX_BUCKETS.hour} hourly or ${ANALYTICS_MAX_BUCKETS.day} daily buckets per call`,
  })
  @IsOptional()
  @IsIn(ANALYTICS_INTERVALS, { message: `interval must be one of ${ANALYTICS_INTERVALS.join(', ')}` })
  interval?: AnalyticsInterval;

  @ApiPropertyOptional({ description: 'Only this connector: its id, or a connector type' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  connector?: string;
}

class AnalyticsPointDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket (UTC)' }) t: string;
  @ApiProperty({ type: 'integer', description: 'Messages accepted in the bucket' }) queued: number;
  @ApiProperty({ type: 'integer', description: 'Messages the provider accepted in the bucket' }) sent: number;
  @ApiProperty({ type: 'integer' }) delivered: number;
  @ApiProperty({ type: 'integer' }) read: number;
  @ApiProperty({ type: 'integer', description: 'Messages that failed in the bucket (a retried message counts once)' }) failed: number;
}

class LatencyDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Median, interpolated from an hourly histogram; null when nothing was sent',
  })
  p50: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) p95: number | null;
}

class ConnectorAnalyticsDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CONNECTOR_TYPES }) type: ConnectorType;
  @ApiProperty({ type: String, nullable: true, description: 'Null once the connector was deleted' }) name: string | null;
  @ApiProperty({ type: 'integer', description: 'Messages accepted in the window' }) total: number;
  @ApiProperty({ type: 'integer' }) sent: number;
  @ApiProperty({ type: 'integer' }) delivered: number;
  @ApiProperty({ type: 'integer' }) failed: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: 'sent ÷ (sent + failed) in the window: the share of finished sends the provider accepted; null when none finished',
  })
  successRate: number | null;
  @ApiProperty({ type: LatencyDto, description: 'From acceptance (202) to the provider accepting the message, queue and retries included' })
  latencyMs: LatencyDto;
}

class ErrorAnalyticsDto {
  @ApiProperty({ description: "The provider's (or MessageJS's) error code", example: '21211' }) code: string;
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ format: 'date-time' }) lastAt: string;
}

export class AnalyticsDto {
  @ApiProperty({ format: 'date-time', description: 'The window used: `from` aligned to its bucket' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: ANALYTICS_INTERVALS }) interval: AnalyticsInterval;
  @ApiProperty({ type: [AnalyticsPointDto], description: 'One point per bucket, oldest first, zeros included' })
  series: AnalyticsPointDto[];
  @ApiProperty({ type: [ConnectorAnalyticsDto] }) connectors: ConnectorAnalyticsDto[];
  @ApiProperty({ type: [ErrorAnalyticsDto], description: `The ${ANALYTICS_TOP_ERRORS} commonest failure codes, commonest first` })
  topErrors: ErrorAnalyticsDto[];
}
