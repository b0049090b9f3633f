import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { UuidParam } from '../http/uuid.param';
import {
  CreateTemplateDto,
  ListTemplatesQueryDto,
  TEMPLATE_PAGE_DEFAULT,
  TemplateDto,
  TemplatePageDto,
  UpdateTemplateDto,
} from './templates.dto';

@ApiTags('templates')
@ApiBearerAuth('jwt')
@UseGuards(JwtGuard)
@Controller('projects/:projectId/templates')
export class TemplatesController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({ operationId: 'createTemplate', summary: 'Create a template; its variables are parsed from the content' })
  @ApiResponse({ status: 201, type: TemplateDto })
  create(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Body() body: CreateTemplateDto,
  ): Promise<TemplateDto> {
    return this.rpc.send('templates.create', { userId, projectId, ...body });
  }

  @Get()
  @ApiOperation({ operationId: 'listTemplates', summary: "List a project's templates, newest first, a page at a time" })
  @ApiResponse({ status: 200, type: TemplatePageDto })
  list(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Query() query: ListTemplatesQueryDto,
  ): Promise<TemplatePageDto> {
    return this.rpc.send('templates.list', { userId, projectId, limit: query.limit ?? TEMPLATE_PAGE_DEFAULT, cursor: query.cursor });
  }

  @Get(':templateId')
  @ApiOperation({ operationId: 'getTemplate', summary: 'One template' })
  @ApiResponse({ status: 200, type: TemplateDto })
  get(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('templateId') templateId: string,
  ): Promise<TemplateDto> {
    return this.rpc.send('templates.get', { userId, projectId, templateId });
  }

  @Patch(':templateId')
  @ApiOperation({ operationId: 'updateTemplate', summary: 'Change a template; a new content re-parses its variables' })
  @ApiResponse({ status: 200, type: TemplateDto })
  update(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('templateId') templateId: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<TemplateDto> {
    return this.rpc.send('templates.update', { userId, projectId, templateId, ...body });
  }

  @Delete(':templateId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTemplate', summary: 'Delete a template' })
  @ApiResponse({ status: 204 })
  async delete(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('templateId') templateId: string,
  ): Promise<void> {
    await this.rpc.send('templates.delete', { userId, projectId, templateId });
  }
}
