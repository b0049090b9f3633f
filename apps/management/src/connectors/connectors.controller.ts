import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { ConnectorsService } from './connectors.service';

@Controller()
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Rpc('connectors.create')
  create(@Payload() p: RpcPayload<'connectors.create'>): Promise<RpcReply<'connectors.create'>> {
    return this.connectors.create(p.userId, p.projectId, p);
  }

  @Rpc('connectors.list')
  list(@Payload() p: RpcPayload<'connectors.list'>): Promise<RpcReply<'connectors.list'>> {
    return this.connectors.list(p.userId, p.projectId);
  }

  @Rpc('connectors.get')
  get(@Payload() p: RpcPayload<'connectors.get'>): Promise<RpcReply<'connectors.get'>> {
    return this.connectors.get(p.userId, p.projectId, p.connectorId);
  }

  @Rpc('connectors.update')
  update(@Payload() p: RpcPayload<'connectors.update'>): Promise<RpcReply<'connectors.update'>> {
    return this.connectors.update(p.userId, p.projectId, p.connectorId, p);
  }

  @Rpc('connectors.delete')
  delete(@Payload() p: RpcPayload<'connectors.delete'>): Promise<RpcReply<'connectors.delete'>> {
    return this.connectors.delete(p.userId, p.projectId, p.connectorId);
  }

  @Rpc('connectors.verify')
  verify(@Payload() p: RpcPayload<'connectors.verify'>): Promise<RpcReply<'connectors.verify'>> {
    return this.connectors.verify(p.userId, p.projectId, p.connectorId);
  }
}
