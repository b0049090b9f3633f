import { ClientRedis, ReadPacket, RedisOptions, ServerRedis, WritePacket } from '@nestjs/microservices';
import { reconnectDelay } from '@app/config';
import type { TraceCarrier } from '@app/contracts';
import { contextFrom, inSpan, SpanKind, traceCarrier } from '@app/observability';

/** A request on the wire: Nest's packet plus the caller's trace context. */
type TracedPacket = ReadPacket & { trace?: TraceCarrier };

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

  /** Runs the handler as a child span of the caller's, so one request's trace (and log lines) cross the hop. */
  override handleMessage(channel: string, buffer: string, pub: unknown, pattern: string): Promise<unknown> {
    let carrier: TraceCarrier | undefined;
    try {
      carrier = (JSON.parse(buffer) as TracedPacket).trace;
    } catch {
      carrier = undefined;
    }
    const name = channel.slice(this.channelPrefix.length + 1);
    const handle = () => super.handleMessage(channel, buffer, pub, pattern);
    return inSpan(`rpc ${name}`, { kind: SpanKind.SERVER, parent: contextFrom(carrier), attributes: { 'rpc.method': name } }, handle);
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

  /** Puts the caller's trace context into the envelope (the server side continues it). */
  protected override publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const traced: TracedPacket = { ...packet, trace: traceCarrier() };
    return super.publish(traced, callback);
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
