import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { DomainError, ErrorCode, RpcPattern, RpcPayload, RpcReply } from '@app/contracts';
import { APP_CONFIG, AppConfig, redisOptions } from '@app/config';
import { PrefixedRedisClient } from './prefixed-redis';

/** Typed request/response over the Redis transport; remote domain errors come back as DomainError. */
@Injectable()
export class RpcClient implements OnModuleInit, OnApplicationShutdown {
  private readonly client: PrefixedRedisClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Requests wait for a reconnect instead of failing inside Nest, where nothing would catch them;
    // send() refuses up front (503) while Redis is down.
    this.client = new PrefixedRedisClient(config.redisPrefix, redisOptions(config, 'blocking'));
  }

  async onModuleInit(): Promise<void> {
    // Redis may be away at start: the client keeps reconnecting, and send() answers 503 meanwhile.
    await this.client.connect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  async send<P extends RpcPattern>(pattern: P, payload: RpcPayload<P>, timeoutMs = 10_000): Promise<RpcReply<P>> {
    // Fail fast (503) while Redis is down instead of queueing the request until it returns.
    if (!this.client.isReady()) {
      await this.client.connect().catch(() => undefined); // judged by isReady() on the next line
      if (!this.client.isReady()) throw new DomainError(ErrorCode.Unavailable, 'Redis is unavailable');
    }
    try {
      return await firstValueFrom(this.client.send<RpcReply<P>, RpcPayload<P>>(pattern, payload).pipe(timeout(timeoutMs)));
    } catch (err) {
      if (DomainError.isBody(err)) throw new DomainError(err.code, err.message, err.errors);
      if (err instanceof TimeoutError) {
        throw new DomainError(ErrorCode.Unavailable, `the ${pattern.split('.')[0]} service did not answer in time`);
      }
      throw new DomainError(ErrorCode.Unavailable, 'an internal service is unavailable');
    }
  }
}
