import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { AnalyticsService } from './analytics.service';

@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Rpc('analytics.get')
  get(@Payload() p: RpcPayload<'analytics.get'>): Promise<RpcReply<'analytics.get'>> {
    const { projectId, ...query } = p;
    return this.analytics.get(projectId, query);
  }
}
