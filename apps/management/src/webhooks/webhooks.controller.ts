import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhooksService } from './webhooks.service';

@Controller()
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveryLog: WebhookDeliveriesService,
  ) {}

  @Rpc('webhooks.create')
  create(@Payload() p: RpcPayload<'webhooks.create'>): Promise<RpcReply<'webhooks.create'>> {
    return this.webhooks.create(p.userId, p.projectId, p);
  }

  @Rpc('webhooks.list')
  list(@Payload() p: RpcPayload<'webhooks.list'>): Promise<RpcReply<'webhooks.list'>> {
    return this.webhooks.list(p.userId, p.projectId);
  }

  @Rpc('webhooks.get')
  get(@Payload() p: RpcPayload<'webhooks.get'>): Promise<RpcReply<'webhooks.get'>> {
    return this.webhooks.get(p.userId, p.projectId, p.webhookId);
  }

  @Rpc('webhooks.update')
  update(@Payload() p: RpcPayload<'webhooks.update'>): Promise<RpcReply<'webhooks.update'>> {
    return this.webhooks.update(p.userId, p.projectId, p.webhookId, p);
  }

  @Rpc('webhooks.delete')
  delete(@Payload() p: RpcPayload<'webhooks.delete'>): Promise<RpcReply<'webhooks.delete'>> {
    return this.webhooks.delete(p.userId, p.projectId, p.webhookId);
  }

  @Rpc('webhooks.deliveries')
  deliveries(@Payload() p: RpcPayload<'webhooks.deliveries'>): Promise<RpcReply<'webhooks.deliveries'>> {
    return this.deliveryLog.list(p.userId, p.projectId, p.webhookId, p);
  }

  @Rpc('webhooks.rotateSecret')
  rotateSecret(@Payload() p: RpcPayload<'webhooks.rotateSecret'>): Promise<RpcReply<'webhooks.rotateSecret'>> {
    return this.webhooks.rotateSecret(p.userId, p.projectId, p.webhookId);
  }

  @Rpc('webhooks.test')
  test(@Payload() p: RpcPayload<'webhooks.test'>): Promise<RpcReply<'webhooks.test'>> {
    return this.deliveryLog.sendTest(p.userId, p.projectId, p.webhookId);
  }

  @Rpc('webhooks.replay')
  replay(@Payload() p: RpcPayload<'webhooks.replay'>): Promise<RpcReply<'webhooks.replay'>> {
    return this.deliveryLog.replay(p.userId, p.projectId, p.webhookId, p.deliveryId);
  }
}
