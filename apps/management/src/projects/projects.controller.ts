import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { ProjectsService } from './projects.service';

@Controller()
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Rpc('projects.create')
  create(@Payload() p: RpcPayload<'projects.create'>): Promise<RpcReply<'projects.create'>> {
    return this.projects.create(p.userId, p.name);
  }

  @Rpc('projects.list')
  list(@Payload() p: RpcPayload<'projects.list'>): Promise<RpcReply<'projects.list'>> {
    return this.projects.list(p.userId);
  }

  @Rpc('projects.get')
  get(@Payload() p: RpcPayload<'projects.get'>): Promise<RpcReply<'projects.get'>> {
    return this.projects.get(p.userId, p.projectId);
  }

  @Rpc('projects.update')
  update(@Payload() p: RpcPayload<'projects.update'>): Promise<RpcReply<'projects.update'>> {
    return this.projects.update(p.userId, p.projectId, { name: p.name, rateLimitPerSecond: p.rateLimitPerSecond });
  }

  @Rpc('projects.delete')
  delete(@Payload() p: RpcPayload<'projects.delete'>): Promise<RpcReply<'projects.delete'>> {
    return this.projects.delete(p.userId, p.projectId);
  }
}
