import { Body, Controller, Delete, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { UuidParam } from '../http/uuid.param';
import { CreateTemplateDto, TemplateDto, TemplateListDto, UpdateTemplateDto } from './templates.dto';

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
  @ApiOperation({ operationId: 'listTemplates', summary: "List a project's templates" })
  @ApiResponse({ status: 200, type: TemplateListDto })
  list(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<TemplateListDto> {
    return this.rpc.send('templates.list', { userId, projectId });
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
