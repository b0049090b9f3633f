import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { CONNECTOR_TYPES, ConnectorType, TEMPLATE_NAME_PATTERN } from '@app/contracts';
import { PageLimit } from '../http/query-validators';

const NAME_RULE = 'name must be letters, digits, _, . and -, starting with a letter or digit';
const CONTENT_DESCRIPTION = 'The text, with `{{variable}}` placeholders (names: letters, digits, _ and ., not starting with a digit)';

/** The approved Meta template a WhatsApp send uses instead of the rendered text. */
export class WhatsAppTemplateDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 512,
    pattern: '^[a-z0-9_]+$',
    example: 'order_shipped',
    description: 'The approved template name in WhatsApp Manager',
  })
  @IsString()
  @Length(1, 512)
  @Matches(/^[a-z0-9_]+$/, { message: 'name must be lower-case letters, digits and _, as WhatsApp names templates' })
  name: string;

  @ApiProperty({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$', example: 'en_US', description: 'The language code the template was approved in' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language must be a WhatsApp language code such as en or en_US' })
  language: string;
}

export class CreateTemplateDto {
  @ApiProperty({ minLength: 1, maxLength: 100, pattern: TEMPLATE_NAME_PATTERN.source, example: 'welcome' })
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: NAME_RULE })
  name: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 65536,
    description: CONTENT_DESCRIPTION,
    example: 'Hello {{name}}, your order {{order.id}} has shipped.',
  })
  @IsString()
  @Length(1, 65_536)
  content: string;

  @ApiPropertyOptional({ enum: CONNECTOR_TYPES, description: 'The only connector type the template is for; any when absent' })
  @IsOptional()
  @IsIn(CONNECTOR_TYPES)
  channel?: ConnectorType;

  @ApiPropertyOptional({
    type: WhatsAppTemplateDto,
    description: 'WhatsApp only: send this approved template, with the variables as body parameters in order of first appearance',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WhatsAppTemplateDto)
  whatsapp?: WhatsAppTemplateDto;
}

export class UpdateTemplateDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, pattern: TEMPLATE_NAME_PATTERN.source })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: NAME_RULE })
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 65536, description: `${CONTENT_DESCRIPTION}; variables are parsed again` })
  @IsOptional()
  @IsString()
  @Length(1, 65_536)
  content?: string;

  @ApiPropertyOptional({ enum: CONNECTOR_TYPES, nullable: true, description: 'null makes the template usable on any connector type' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsIn(CONNECTOR_TYPES)
  channel?: ConnectorType | null;

  @ApiPropertyOptional({ type: WhatsAppTemplateDto, nullable: true, description: 'null removes the WhatsApp template' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WhatsAppTemplateDto)
  whatsapp?: WhatsAppTemplateDto | null;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() content: string;
  @ApiProperty({ enum: CONNECTOR_TYPES, nullable: true }) channel: ConnectorType | null;
  @ApiProperty({ type: [String], description: 'Parsed from content, in order of first appearance', example: ['name', 'order.id'] })
  variables: string[];
  @ApiProperty({ type: WhatsAppTemplateDto, nullable: true }) whatsapp: WhatsAppTemplateDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export const TEMPLATE_PAGE_DEFAULT = 50;

export class ListTemplatesQueryDto {
  @PageLimit(TEMPLATE_PAGE_DEFAULT)
  limit?: number;
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class TemplatePageDto {
  @ApiProperty({ type: [TemplateDto], description: 'Newest first' }) data: TemplateDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
}
