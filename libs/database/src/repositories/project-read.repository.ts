import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { WebhookEventType } from '@app/contracts';
import { ProjectEntity } from '../entities/project.entity';
import { TemplateEntity } from '../entities/template.entity';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';

/** What the dispatcher reads of a project's settings (management owns their writes): name, templates, webhook subscriptions. */
@Injectable()
export class ProjectReadRepository {
  private readonly projects: Repository<ProjectEntity>;
  private readonly templates: Repository<TemplateEntity>;
  private readonly endpoints: Repository<WebhookEndpointEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.projects = dataSource.getRepository(ProjectEntity);
    this.templates = dataSource.getRepository(TemplateEntity);
    this.endpoints = dataSource.getRepository(WebhookEndpointEntity);
  }

  async name(projectId: string): Promise<string | null> {
    return (await this.projects.findOne({ select: { name: true }, where: { id: projectId } }))?.name ?? null;
  }

  template(projectId: string, name: string): Promise<TemplateEntity | null> {
    return this.templates.findOneBy({ projectId, name });
  }

  /** The event types the project's enabled webhook endpoints subscribe to. */
  async webhookEventTypes(projectId: string): Promise<Set<WebhookEventType>> {
    const rows: Array<{ type: WebhookEventType }> = await this.endpoints
      .createQueryBuilder('e')
      .select('DISTINCT unnest(e.events)', 'type')
      .where('e.projectId = :projectId AND e.disabledAt IS NULL', { projectId })
      .getRawMany();
    return new Set(rows.map((r) => r.type));
  }
}
