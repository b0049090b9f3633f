import { Injectable } from '@nestjs/common';
import { StatusEventData } from '@app/contracts';

/**
 * Hands status changes to the webhooks app. Called after the change is committed; a lost event
 * costs a webhook, never a message. (Delivery queue and the projects-with-endpoints filter: webhooks feature.)
 */
@Injectable()
export class StatusEvents {
  async emit(events: StatusEventData[]): Promise<void> {
    void events;
  }
}
