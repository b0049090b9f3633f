import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { ChangeChannel } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * Redis pub/sub that tells every process a cached thing changed (a key revoked, a connector edited),
 * so caches can be long-lived yet drop an entry at once.
 */
@Injectable()
export class ChangeFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Array<(id: string) => void>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private channel(name: ChangeChannel): string {
    return `${this.config.redisPrefix}:change:${name}`;
  }

  async publish(name: ChangeChannel, id: string): Promise<void> {
    this.publisher ??= new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
    await this.publisher.publish(this.channel(name), id);
  }

  async subscribe(name: ChangeChannel, listener: (id: string) => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null });
      this.subscriber.on('error', (err) => this.logger.warn(`change feed: ${err.message}`));
      this.subscriber.on('message', (channel: string, id: string) => {
        for (const fn of this.listeners.get(channel) ?? []) fn(id);
      });
    }
    const channel = this.channel(name);
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    await this.subscriber.subscribe(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher?.quit().catch(() => undefined), this.subscriber?.quit().catch(() => undefined)]);
  }
}
