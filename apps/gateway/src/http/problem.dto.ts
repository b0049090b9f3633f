import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldErrorDto {
  @ApiProperty({ example: 'to' }) field: string;
  @ApiProperty({ example: 'must be an E.164 phone number' }) message: string;
}

/** RFC 9457 problem details, the body of every 4xx/5xx (served as application/problem+json). */
export class ProblemDto {
  @ApiProperty({ format: 'uri', example: 'https://messagejs.dev/problems/validation-error' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ type: 'integer', example: 422 }) status: number;
  @ApiPropertyOptional({ example: 'to must be an E.164 phone number' }) detail?: string;
  @ApiPropertyOptional({ example: '/api/v1/messages' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'On 5xx: quote it to support; it is in the server log' }) errorId?: string;
}
