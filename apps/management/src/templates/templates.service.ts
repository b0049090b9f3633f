import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
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
import { decodePageCursor, encodePageCursor, TemplateEntity } from '@app/database';
import { ProjectsService } from '../projects/projects.service';
import { createWithinQuota } from '../projects/quota';

const UNIQUE_VIOLATION = '23505';

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
  private readonly templates: Repository<TemplateEntity>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
  ) {
    this.templates = dataSource.getRepository(TemplateEntity);
  }

  async create(
    userId: string,
    projectId: string,
    input: { name: string; content: string; channel?: ConnectorType; whatsapp?: WhatsAppTemplateRef },
  ): Promise<TemplateView> {
    await this.projects.requireOwned(userId, projectId);
    const state = { content: input.content, channel: input.channel ?? null, whatsapp: input.whatsapp ?? null };
    check(state);
    await this.requireFreeName(projectId, input.name);
    const quota = {
      setting: 'MAX_TEMPLATES_PER_PROJECT',
      limit: this.config.quotas.templatesPerProject,
      what: 'templates per project',
      entity: TemplateEntity,
      where: { projectId },
      lock: { table: 'projects', id: projectId },
    } as const;
    const row = this.templates.create({ projectId, name: input.name, ...state, variables: parseTemplateVariables(state.content) });
    return toView(await createWithinQuota(this.dataSource, quota, (manager) => this.save(row, manager.getRepository(TemplateEntity))));
  }

  /**
   * Newest first, keyset-paginated on (created_at, id). Ordered by created_at to the millisecond, the
   * precision a cursor carries, so rows created within one millisecond are neither skipped nor repeated.
   */
  async list(
    userId: string,
    projectId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ data: TemplateView[]; nextCursor: string | null }> {
    await this.projects.requireOwned(userId, projectId);
    const createdMs = "date_trunc('milliseconds', t.created_at)";
    const query = this.templates
      .createQueryBuilder('t')
      .where('t.project_id = :projectId', { projectId })
      .orderBy(createdMs, 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [at, id] = decodePageCursor(page.cursor);
      query.andWhere(`(${createdMs}, t.id) < (:at::timestamptz, :id::uuid)`, { at, id });
    }
    const rows = await query.getMany();
    const data = rows.slice(0, page.limit);
    const last = data[data.length - 1];
    return { data: data.map(toView), nextCursor: rows.length > page.limit ? encodePageCursor(last.createdAt, last.id) : null };
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
    if (patch.name !== undefined && patch.name !== row.name) {
      await this.requireFreeName(projectId, patch.name);
      row.name = patch.name;
    }
    Object.assign(row, state, { variables: parseTemplateVariables(state.content) });
    return toView(await this.save(row));
  }

  async delete(userId: string, projectId: string, templateId: string): Promise<{ deleted: true }> {
    const row = await this.requireTemplate(userId, projectId, templateId);
    await this.templates.delete({ id: row.id, projectId });
    return { deleted: true };
  }

  private async requireTemplate(userId: string, projectId: string, templateId: string): Promise<TemplateEntity> {
    await this.projects.requireOwned(userId, projectId);
    const row = await this.templates.findOneBy({ id: templateId, projectId });
    if (!row) throw DomainError.notFound('template');
    return row;
  }

  private async requireFreeName(projectId: string, name: string): Promise<void> {
    if (await this.templates.existsBy({ projectId, name })) throw duplicate(name);
  }

  /** The unique (project, name) constraint settles a race the existence check cannot. */
  private save(row: TemplateEntity, templates = this.templates): Promise<TemplateEntity> {
    return templates.save(row).catch((err: { code?: string }) => {
      if (err.code === UNIQUE_VIOLATION) throw duplicate(row.name);
      throw err;
    });
  }
}
