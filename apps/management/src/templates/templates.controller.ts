import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { TemplatesService } from './templates.service';

@Controller()
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Rpc('templates.create')
  create(@Payload() p: RpcPayload<'templates.create'>): Promise<RpcReply<'templates.create'>> {
    return this.templates.create(p.userId, p.projectId, p);
  }

  @Rpc('templates.list')
  list(@Payload() p: RpcPayload<'templates.list'>): Promise<RpcReply<'templates.list'>> {
    return this.templates.list(p.userId, p.projectId, { limit: p.limit, cursor: p.cursor });
  }

  @Rpc('templates.get')
  get(@Payload() p: RpcPayload<'templates.get'>): Promise<RpcReply<'templates.get'>> {
    return this.templates.get(p.userId, p.projectId, p.templateId);
  }

  @Rpc('templates.update')
  update(@Payload() p: RpcPayload<'templates.update'>): Promise<RpcReply<'templates.update'>> {
    return this.templates.update(p.userId, p.projectId, p.templateId, p);
  }

  @Rpc('templates.delete')
  delete(@Payload() p: RpcPayload<'templates.delete'>): Promise<RpcReply<'templates.delete'>> {
    return this.templates.delete(p.userId, p.projectId, p.templateId);
  }
}
