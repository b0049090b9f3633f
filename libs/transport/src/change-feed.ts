import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { ChangeChannel } from '@app/contracts';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@app/config';

interface Subscription {
  changed: (id: string) => void;
  /** Drops everything the cache holds: called when messages may have been missed. */
  resync: () => void;
}

/** The Redis client name of every change-feed subscriber under a prefix (CLIENT LIST shows it). */
export function changeFeedClientName(redisPrefix: string): string {
  return `${redisPrefix}:change-feed`;
}

/**
 * Redis pub/sub that tells every process a cached thing changed (a key revoked, a connector edited),
 * so caches can be long-lived yet drop an entry at once. Pub/sub does not queue: whatever is published
 * while the subscriber is disconnected is lost, so after every reconnect each cache is dropped whole.
 */
@Injectable()
export class ChangeFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly subscriptions = new Map<string, Subscription[]>();
  private connectedOnce = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private channel(name: ChangeChannel): string {
    return `${this.config.redisPrefix}:change:${name}`;
  }

  async publish(name: ChangeChannel, id: string): Promise<void> {
    this.publisher ??= createRedis(this.config, 'change feed publisher', 'command');
    await this.publisher.publish(this.channel(name), id);
  }

  /** `resync` runs after each reconnect, once the subscription is back: the cache must forget everything. */
  async subscribe(name: ChangeChannel, changed: (id: string) => void, resync: () => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = createRedis(this.config, 'change feed subscriber', 'blocking', {
        connectionName: changeFeedClientName(this.config.redisPrefix),
      });
      this.subscriber.on('message', (channel: string, id: string) => {
        for (const s of this.subscriptions.get(channel) ?? []) s.changed(id);
      });
      this.subscriber.on('ready', () => {
        if (this.connectedOnce) void this.resubscribed();
        this.connectedOnce = true;
      });
    }
    const channel = this.channel(name);
    this.subscriptions.set(channel, [...(this.subscriptions.get(channel) ?? []), { changed, resync }]);
    await this.subscriber.subscribe(channel);
  }

  /**
   * ioredis resubscribes on 'ready'; subscribing again here resolves only after that, so caches are
   * dropped once changes are heard again (dropping earlier could cache a state changed in between).
   */
  private async resubscribed(): Promise<void> {
    const channels = [...this.subscriptions.keys()];
    try {
      if (channels.length) await this.subscriber!.subscribe(...channels);
    } catch (err) {
      this.logger.warn(`change feed: could not resubscribe (${(err as Error).message}); dropping caches anyway`);
    }
    for (const subs of this.subscriptions.values()) for (const s of subs) s.resync();
    this.logger.log(`change feed reconnected: dropped the caches of ${channels.length} channels`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher && closeRedis(this.publisher), this.subscriber && closeRedis(this.subscriber)]);
  }
}
