import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ProjectEntity } from '../entities/project.entity';
import { insertWithinQuota } from './quota';

export type ProjectChanges = Partial<Pick<ProjectEntity, 'name' | 'rateLimitPerSecond'>>;

/** A project is its owner's: every query names the user, so another user's project is simply not there. */
@Injectable()
export class ProjectRepository {
  private readonly projects: Repository<ProjectEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.projects = dataSource.getRepository(ProjectEntity);
  }

  /** The project's name, for the platform's own use (the default email subject): the project id is the scope. */
  async nameOf(projectId: string): Promise<string | null> {
    return (await this.projects.findOne({ select: { name: true }, where: { id: projectId } }))?.name ?? null;
  }

  findOwned(ownerId: string, projectId: string): Promise<ProjectEntity | null> {
    return this.projects.findOneBy({ id: projectId, ownerId });
  }

  /** Newest first. */
  listOwned(ownerId: string): Promise<ProjectEntity[]> {
    return this.projects.find({ where: { ownerId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** At most `limit` projects per user, however many creates race (409 quota_exceeded past it). */
  create(ownerId: string, name: string, limit: number): Promise<ProjectEntity> {
    return insertWithinQuota(
      this.dataSource,
      ProjectEntity,
      { name: 'projectsPerUser', limit, owner: { ownerId } },
      { name, rateLimitPerSecond: null },
    );
  }

  /** The project as it is after the change, or null if the user has no such project. */
  async update(ownerId: string, projectId: string, changes: ProjectChanges): Promise<ProjectEntity | null> {
    if (Object.keys(changes).length > 0) await this.projects.update({ id: projectId, ownerId }, changes);
    return this.findOwned(ownerId, projectId);
  }

  /** Its keys, connectors, templates, webhooks and messages go with it (foreign keys cascade). */
  async delete(ownerId: string, projectId: string): Promise<boolean> {
    return ((await this.projects.delete({ id: projectId, ownerId })).affected ?? 0) > 0;
  }
}
