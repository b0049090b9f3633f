import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { ChangeChannel } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { closeRedis, createRedis } from './redis-connection';

/**
 * Redis pub/sub that tells every process a cached thing changed (a key revoked, a connector edited),
 * so caches can be long-lived yet drop an entry at once.
 */
@Injectable()
export class ChangeFeed implements OnApplicationShutdown {
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Array<(id: string) => void>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private channel(name: ChangeChannel): string {
    return `${this.config.redisPrefix}:change:${name}`;
  }

  async publish(name: ChangeChannel, id: string): Promise<void> {
    this.publisher ??= createRedis(this.config, 'change feed publisher', 'command');
    await this.publisher.publish(this.channel(name), id);
  }

  async subscribe(name: ChangeChannel, listener: (id: string) => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = createRedis(this.config, 'change feed subscriber', 'blocking');
      this.subscriber.on('message', (channel: string, id: string) => {
        for (const fn of this.listeners.get(channel) ?? []) fn(id);
      });
    }
    const channel = this.channel(name);
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    await this.subscriber.subscribe(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher && closeRedis(this.publisher), this.subscriber && closeRedis(this.subscriber)]);
  }
}
