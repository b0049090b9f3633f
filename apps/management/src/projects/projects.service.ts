import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ChangeChannel, DomainError, ProjectView } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ProjectEntity } from '@app/database';
import { ChangeFeed } from '@app/transport';
import { createWithinQuota } from './quota';

export function toProjectView(p: ProjectEntity): ProjectView {
  return { id: p.id, name: p.name, rateLimitPerSecond: p.rateLimitPerSecond, createdAt: p.createdAt.toISOString() };
}

@Injectable()
export class ProjectsService {
  private readonly projects: Repository<ProjectEntity>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changes: ChangeFeed,
  ) {
    this.projects = dataSource.getRepository(ProjectEntity);
  }

  /** The tenant gate for every project-scoped operation: another user's project is simply not found. */
  async requireOwned(userId: string, projectId: string): Promise<ProjectEntity> {
    const project = await this.projects.findOneBy({ id: projectId, ownerId: userId });
    if (!project) throw DomainError.notFound('project');
    return project;
  }

  async create(userId: string, name: string): Promise<ProjectView> {
    const quota = {
      setting: 'MAX_PROJECTS_PER_USER',
      limit: this.config.quotas.projectsPerUser,
      what: 'projects per user',
      entity: ProjectEntity,
      where: { ownerId: userId },
      lock: { table: 'users', id: userId },
    } as const;
    const row = await createWithinQuota(this.dataSource, quota, (manager) =>
      manager.save(manager.create(ProjectEntity, { ownerId: userId, name, rateLimitPerSecond: null })),
    );
    return toProjectView(row);
  }

  async list(userId: string): Promise<{ data: ProjectView[] }> {
    const rows = await this.projects.find({ where: { ownerId: userId }, order: { createdAt: 'DESC', id: 'DESC' } });
    return { data: rows.map(toProjectView) };
  }

  async get(userId: string, projectId: string): Promise<ProjectView> {
    return toProjectView(await this.requireOwned(userId, projectId));
  }

  async update(userId: string, projectId: string, patch: { name?: string; rateLimitPerSecond?: number | null }): Promise<ProjectView> {
    const project = await this.requireOwned(userId, projectId);
    if (patch.name !== undefined) project.name = patch.name;
    const ceiling = this.config.projectMaxRateLimit;
    if (patch.rateLimitPerSecond != null && patch.rateLimitPerSecond > ceiling) {
      throw DomainError.validation('rateLimitPerSecond', `must be at most ${ceiling} (PROJECT_MAX_RATE_LIMIT)`);
    }
    if (patch.rateLimitPerSecond !== undefined) project.rateLimitPerSecond = patch.rateLimitPerSecond;
    const saved = await this.projects.save(project);
    // Gateways cache the limit with each verified key: tell them to forget this project's keys.
    await this.changes.publish(ChangeChannel.ProjectChanged, project.id);
    return toProjectView(saved);
  }

  async delete(userId: string, projectId: string): Promise<{ deleted: true }> {
    const project = await this.requireOwned(userId, projectId);
    await this.projects.delete({ id: project.id, ownerId: userId });
    await this.changes.publish(ChangeChannel.ProjectChanged, project.id);
    return { deleted: true };
  }
}
