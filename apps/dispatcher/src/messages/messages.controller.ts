import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { MessagesService } from './messages.service';

@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Rpc('messages.accept')
  accept(@Payload() p: RpcPayload<'messages.accept'>): Promise<RpcReply<'messages.accept'>> {
    return this.messages.accept(p);
  }

  @Rpc('messages.list')
  list(@Payload() p: RpcPayload<'messages.list'>): Promise<RpcReply<'messages.list'>> {
    return this.messages.list(p);
  }

  @Rpc('messages.get')
  get(@Payload() p: RpcPayload<'messages.get'>): Promise<RpcReply<'messages.get'>> {
    return this.messages.get(p.projectId, p.messageId);
  }

  @Rpc('messages.retry')
  retry(@Payload() p: RpcPayload<'messages.retry'>): Promise<RpcReply<'messages.retry'>> {
    return this.messages.retry(p.projectId, p.messageId);
  }

  @Rpc('messages.recordAttempts')
  recordAttempts(@Payload() p: RpcPayload<'messages.recordAttempts'>): Promise<RpcReply<'messages.recordAttempts'>> {
    return this.messages.recordAttempts(p.outcomes);
  }
}
