import { Inject, Injectable } from '@nestjs/common';
import { ChangeChannel, DomainError, ProjectView } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ProjectChanges, ProjectEntity, ProjectRepository } from '@app/database';
import { ChangeFeed } from '@app/transport';

export function toProjectView(p: ProjectEntity): ProjectView {
  return { id: p.id, name: p.name, rateLimitPerSecond: p.rateLimitPerSecond, createdAt: p.createdAt.toISOString() };
}

@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changes: ChangeFeed,
  ) {}

  /** The tenant gate for every project-scoped operation: another user's project is simply not found. */
  async requireOwned(userId: string, projectId: string): Promise<ProjectEntity> {
    const project = await this.projects.findOwned(userId, projectId);
    if (!project) throw DomainError.notFound('project');
    return project;
  }

  /** The gate with the row asked for: `find` looks in the project once the user is shown to own it; no such row is not found either. */
  async requireInOwned<T>(userId: string, projectId: string, what: string, find: (projectId: string) => Promise<T | null>): Promise<T> {
    await this.requireOwned(userId, projectId);
    const row = await find(projectId);
    if (!row) throw DomainError.notFound(what);
    return row;
  }

  async create(userId: string, name: string): Promise<ProjectView> {
    return toProjectView(await this.projects.create(userId, name, this.config.quotas.projectsPerUser));
  }

  async list(userId: string): Promise<{ data: ProjectView[] }> {
    return { data: (await this.projects.listOwned(userId)).map(toProjectView) };
  }

  async get(userId: string, projectId: string): Promise<ProjectView> {
    return toProjectView(await this.requireOwned(userId, projectId));
  }

  async update(userId: string, projectId: string, patch: { name?: string; rateLimitPerSecond?: number | null }): Promise<ProjectView> {
    await this.requireOwned(userId, projectId);
    const ceiling = this.config.projectMaxRateLimit;
    if (patch.rateLimitPerSecond != null && patch.rateLimitPerSecond > ceiling) {
      throw DomainError.validation('rateLimitPerSecond', `must be at most ${ceiling} (PROJECT_MAX_RATE_LIMIT)`);
    }
    const changes: ProjectChanges = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.rateLimitPerSecond !== undefined) changes.rateLimitPerSecond = patch.rateLimitPerSecond;
    const saved = await this.projects.update(userId, projectId, changes);
    if (!saved) throw DomainError.notFound('project');
    // Gateways cache the limit with each verified key: tell them to forget this project's keys.
    await this.changes.publish(ChangeChannel.ProjectChanged, projectId);
    return toProjectView(saved);
  }

  async delete(userId: string, projectId: string): Promise<{ deleted: true }> {
    if (!(await this.projects.delete(userId, projectId))) throw DomainError.notFound('project');
    await this.changes.publish(ChangeChannel.ProjectChanged, projectId);
    return { deleted: true };
  }
}
