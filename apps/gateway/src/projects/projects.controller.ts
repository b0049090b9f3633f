import { Body, Controller, Delete, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from '../auth/auth-context';
import { JwtGuard } from '../auth/jwt.guard';
import { UuidParam } from '../http/uuid.param';
import {
  ApiKeyDto,
  ApiKeyListDto,
  ConnectorDto,
  ConnectorListDto,
  CreateApiKeyDto,
  CreateConnectorDto,
  CreatedApiKeyDto,
  CreateProjectDto,
  ProjectDto,
  ProjectListDto,
  UpdateApiKeyDto,
  UpdateConnectorDto,
  UpdateProjectDto,
  VerifyResultDto,
} from './projects.dto';

@ApiTags('projects')
@ApiBearerAuth('jwt')
@UseGuards(JwtGuard)
@Controller('projects')
export class ProjectsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({ operationId: 'createProject', summary: 'Create a project' })
  @ApiResponse({ status: 201, type: ProjectDto })
  create(@CurrentUserId() userId: string, @Body() body: CreateProjectDto): Promise<ProjectDto> {
    return this.rpc.send('projects.create', { userId, name: body.name });
  }

  @Get()
  @ApiOperation({ operationId: 'listProjects', summary: 'List your projects' })
  @ApiResponse({ status: 200, type: ProjectListDto })
  list(@CurrentUserId() userId: string): Promise<ProjectListDto> {
    return this.rpc.send('projects.list', { userId });
  }

  @Get(':projectId')
  @ApiOperation({ operationId: 'getProject', summary: 'One project' })
  @ApiResponse({ status: 200, type: ProjectDto })
  get(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<ProjectDto> {
    return this.rpc.send('projects.get', { userId, projectId });
  }

  @Patch(':projectId')
  @ApiOperation({ operationId: 'updateProject', summary: 'Rename a project or set its rate limit' })
  @ApiResponse({ status: 200, type: ProjectDto })
  update(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string, @Body() body: UpdateProjectDto): Promise<ProjectDto> {
    return this.rpc.send('projects.update', { userId, projectId, ...body });
  }

  @Delete(':projectId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteProject', summary: 'Delete a project and everything in it' })
  @ApiResponse({ status: 204 })
  async delete(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<void> {
    await this.rpc.send('projects.delete', { userId, projectId });
  }

  @Post(':projectId/keys')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (shown once)' })
  @ApiResponse({ status: 201, type: CreatedApiKeyDto })
  createKey(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.rpc.send('apiKeys.create', { userId, projectId, ...body, type: body.type ?? 'secret' });
  }

  @Patch(':projectId/keys/:keyId')
  @ApiOperation({ operationId: 'updateApiKey', summary: "Change a key's name, or a public key's origins and daily limit" })
  @ApiResponse({ status: 200, type: ApiKeyDto })
  updateKey(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('keyId') keyId: string,
    @Body() body: UpdateApiKeyDto,
  ): Promise<ApiKeyDto> {
    return this.rpc.send('apiKeys.update', { userId, projectId, keyId, ...body });
  }

  @Get(':projectId/keys')
  @ApiOperation({ operationId: 'listApiKeys', summary: "List a project's API keys (never the keys themselves)" })
  @ApiResponse({ status: 200, type: ApiKeyListDto })
  listKeys(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<ApiKeyListDto> {
    return this.rpc.send('apiKeys.list', { userId, projectId });
  }

  @Delete(':projectId/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke a key; refused everywhere within a second' })
  @ApiResponse({ status: 204 })
  async revokeKey(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('keyId') keyId: string,
  ): Promise<void> {
    await this.rpc.send('apiKeys.revoke', { userId, projectId, keyId });
  }

  @Post(':projectId/connectors')
  @ApiOperation({ operationId: 'createConnector', summary: 'Add a connector (credentials are write-only)' })
  @ApiResponse({ status: 201, type: ConnectorDto })
  createConnector(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @Body() body: CreateConnectorDto,
  ): Promise<ConnectorDto> {
    return this.rpc.send('connectors.create', { userId, projectId, ...body });
  }

  @Get(':projectId/connectors')
  @ApiOperation({ operationId: 'listConnectors', summary: "List a project's connectors" })
  @ApiResponse({ status: 200, type: ConnectorListDto })
  listConnectors(@CurrentUserId() userId: string, @UuidParam('projectId') projectId: string): Promise<ConnectorListDto> {
    return this.rpc.send('connectors.list', { userId, projectId });
  }

  @Get(':projectId/connectors/:connectorId')
  @ApiOperation({ operationId: 'getConnector', summary: 'One connector' })
  @ApiResponse({ status: 200, type: ConnectorDto })
  getConnector(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('connectorId') connectorId: string,
  ): Promise<ConnectorDto> {
    return this.rpc.send('connectors.get', { userId, projectId, connectorId });
  }

  @Patch(':projectId/connectors/:connectorId')
  @ApiOperation({ operationId: 'updateConnector', summary: "Change a connector's name, credentials or config" })
  @ApiResponse({ status: 200, type: ConnectorDto })
  updateConnector(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('connectorId') connectorId: string,
    @Body() body: UpdateConnectorDto,
  ): Promise<ConnectorDto> {
    return this.rpc.send('connectors.update', { userId, projectId, connectorId, ...body });
  }

  @Delete(':projectId/connectors/:connectorId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteConnector', summary: 'Delete a connector' })
  @ApiResponse({ status: 204 })
  async deleteConnector(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('connectorId') connectorId: string,
  ): Promise<void> {
    await this.rpc.send('connectors.delete', { userId, projectId, connectorId });
  }

  @Post(':projectId/connectors/:connectorId/verify')
  @HttpCode(200)
  @ApiOperation({ operationId: 'verifyConnector', summary: 'Check the credentials with the provider' })
  @ApiResponse({ status: 200, type: VerifyResultDto })
  verifyConnector(
    @CurrentUserId() userId: string,
    @UuidParam('projectId') projectId: string,
    @UuidParam('connectorId') connectorId: string,
  ): Promise<VerifyResultDto> {
    return this.rpc.send('connectors.verify', { userId, projectId, connectorId }, 30_000);
  }
}
