import { ClientRedis, RedisOptions, ServerRedis } from '@nestjs/microservices';

/**
 * Nest's Redis transport uses the pattern itself as the channel, and Redis pub/sub channels are
 * global to the server. These subclasses put the platform's REDIS_PREFIX in front of every channel,
 * so several platforms (or parallel test runs) can share one Redis without hearing each other.
 */
export class PrefixedRedisServer extends ServerRedis {
  constructor(
    private readonly channelPrefix: string,
    options: RedisOptions['options'],
  ) {
    super(options ?? {});
  }

  override getRequestPattern(pattern: string): string {
    return `${this.channelPrefix}:${pattern}`;
  }

  /** Nest gives up after `retryAttempts`; a platform process must instead reconnect for as long as it runs. */
  override createRetryStrategy(times: number): number | undefined {
    return (this as unknown as { isManuallyClosed: boolean }).isManuallyClosed ? undefined : reconnectDelay(times);
  }

  /** Whether the subscriber connection is up, i.e. requests on the channels are being heard. */
  isListening(): boolean {
    return (this as unknown as { subClient?: { status: string } | null }).subClient?.status === 'ready';
  }

  override getHandlerByPattern(channel: string) {
    const prefix = `${this.channelPrefix}:`;
    return super.getHandlerByPattern(channel.startsWith(prefix) ? channel.slice(prefix.length) : channel);
  }
}

export class PrefixedRedisClient extends ClientRedis {
  constructor(
    private readonly channelPrefix: string,
    options: RedisOptions['options'],
  ) {
    super(options ?? {});
  }

  override getRequestPattern(pattern: string): string {
    return `${this.channelPrefix}:${pattern}`;
  }

  override getReplyPattern(pattern: string): string {
    return `${this.channelPrefix}:${pattern}.reply`;
  }

  override createRetryStrategy(times: number): number | undefined {
    return (this as unknown as { isManuallyClosed: boolean }).isManuallyClosed ? undefined : reconnectDelay(times);
  }

  /** Whether both connections are up: if not, a request would only sit in ioredis's offline queue. */
  isReady(): boolean {
    const self = this as unknown as { pubClient?: { status: string } | null; subClient?: { status: string } | null };
    return self.pubClient?.status === 'ready' && self.subClient?.status === 'ready';
  }
}

function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2_000);
}

/** ioredis options from a redis:// URL, for Nest's transport (which takes host/port, not a URL). */
export function redisOptionsFromUrl(url: string): {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db?: number;
  tls?: object;
} {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(db !== undefined && !Number.isNaN(db) ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
