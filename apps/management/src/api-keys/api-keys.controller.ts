import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { ApiKeysService } from './api-keys.service';

@Controller()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Rpc('apiKeys.create')
  create(@Payload() p: RpcPayload<'apiKeys.create'>): Promise<RpcReply<'apiKeys.create'>> {
    return this.keys.create(p.userId, p.projectId, p);
  }

  @Rpc('apiKeys.list')
  list(@Payload() p: RpcPayload<'apiKeys.list'>): Promise<RpcReply<'apiKeys.list'>> {
    return this.keys.list(p.userId, p.projectId);
  }

  @Rpc('apiKeys.update')
  update(@Payload() p: RpcPayload<'apiKeys.update'>): Promise<RpcReply<'apiKeys.update'>> {
    return this.keys.update(p.userId, p.projectId, p.keyId, p);
  }

  @Rpc('apiKeys.revoke')
  revoke(@Payload() p: RpcPayload<'apiKeys.revoke'>): Promise<RpcReply<'apiKeys.revoke'>> {
    return this.keys.revoke(p.userId, p.projectId, p.keyId);
  }

  @Rpc('apiKeys.verify')
  verify(@Payload() p: RpcPayload<'apiKeys.verify'>): Promise<RpcReply<'apiKeys.verify'>> {
    return this.keys.verify(p.key);
  }

  @Rpc('apiKeys.touch')
  touch(@Payload() p: RpcPayload<'apiKeys.touch'>): Promise<RpcReply<'apiKeys.touch'>> {
    return this.keys.touch(p.keys, p.at);
  }
}
