import { Inject, Injectable } from '@nestjs/common';
import {
  ConnectorType,
  DomainError,
  ErrorCode,
  isConnectorType,
  parseTemplateVariables,
  templateSyntaxProblem,
  TemplateView,
  WhatsAppTemplateRef,
} from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { NAME_TAKEN, TemplateEntity, TemplateRepository } from '@app/database';
import { ProjectsService } from '../projects/projects.service';

function toView(t: TemplateEntity): TemplateView {
  return {
    id: t.id,
    name: t.name,
    content: t.content,
    channel: t.channel,
    variables: t.variables,
    whatsapp: t.whatsapp,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

function duplicate(name: string): DomainError {
  return new DomainError(ErrorCode.Conflict, `a template named ${name} already exists in this project`, [
    { field: 'name', message: 'is already used by another template' },
  ]);
}

/** What a template must satisfy after any write, checked on the merged state so a PATCH cannot break it. */
function check(t: { content: string; channel: ConnectorType | null; whatsapp: WhatsAppTemplateRef | null }): void {
  const problem = templateSyntaxProblem(t.content);
  if (problem) throw DomainError.validation('content', problem);
  if (t.channel !== null && !isConnectorType(t.channel)) throw DomainError.validation('channel', 'must be a connector type');
  if (t.whatsapp && t.channel !== null && t.channel !== 'whatsapp') {
    throw DomainError.validation('whatsapp', `is only for templates whose channel is whatsapp or unset (this one is ${t.channel})`);
  }
}

@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    userId: string,
    projectId: string,
    input: { name: string; content: string; channel?: ConnectorType; whatsapp?: WhatsAppTemplateRef },
  ): Promise<TemplateView> {
    await this.projects.requireOwned(userId, projectId);
    const state = { content: input.content, channel: input.channel ?? null, whatsapp: input.whatsapp ?? null };
    check(state);
    await this.requireFreeName(projectId, input.name);
    const row = await this.templates.create(
      projectId,
      { name: input.name, ...state, variables: parseTemplateVariables(state.content) },
      this.config.quotas.templatesPerProject,
    );
    if (row === NAME_TAKEN) throw duplicate(input.name);
    return toView(row);
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(
    userId: string,
    projectId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ data: TemplateView[]; nextCursor: string | null }> {
    await this.projects.requireOwned(userId, projectId);
    const { data, nextCursor } = await this.templates.page(projectId, page);
    return { data: data.map(toView), nextCursor };
  }

  async get(userId: string, projectId: string, templateId: string): Promise<TemplateView> {
    return toView(await this.requireTemplate(userId, projectId, templateId));
  }

  async update(
    userId: string,
    projectId: string,
    templateId: string,
    patch: { name?: string; content?: string; channel?: ConnectorType | null; whatsapp?: WhatsAppTemplateRef | null },
  ): Promise<TemplateView> {
    const row = await this.requireTemplate(userId, projectId, templateId);
    const state = {
      content: patch.content ?? row.content,
      channel: patch.channel === undefined ? row.channel : patch.channel,
      whatsapp: patch.whatsapp === undefined ? row.whatsapp : patch.whatsapp,
    };
    check(state);
    const name = patch.name ?? row.name;
    if (name !== row.name) await this.requireFreeName(projectId, name);
    const saved = await this.templates.update(projectId, templateId, { name, ...state, variables: parseTemplateVariables(state.content) });
    if (saved === NAME_TAKEN) throw duplicate(name);
    if (!saved) throw DomainError.notFound('template');
    return toView(saved);
  }

  async delete(userId: string, projectId: string, templateId: string): Promise<{ deleted: true }> {
    await this.requireTemplate(userId, projectId, templateId);
    await this.templates.delete(projectId, templateId);
    return { deleted: true };
  }

  private requireTemplate(userId: string, projectId: string, templateId: string): Promise<TemplateEntity> {
    return this.projects.requireInOwned(userId, projectId, 'template', (inProject) => this.templates.findInProject(inProject, templateId));
  }

  private async requireFreeName(projectId: string, name: string): Promise<void> {
    if (await this.templates.nameTaken(projectId, name)) throw duplicate(name);
  }
}
