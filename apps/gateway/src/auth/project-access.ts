import { Injectable, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ChangeChannel } from '@app/contracts';
import { ChangeFeed, RpcClient } from '@app/transport';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/** For a JWT on message routes: does this user own this project? Cached briefly; misses are 404. */
@Injectable()
export class ProjectAccess implements OnModuleInit {
  /** `${userId}:${projectId}` of confirmed owners; bounded, dropped when the project changes or the feed reconnects. */
  private readonly owned = new LRUCache<string, true>({ max: MAX_ENTRIES, ttl: TTL_MS });

  constructor(
    private readonly rpc: RpcClient,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(
      ChangeChannel.ProjectChanged,
      (projectId) => [...this.owned.keys()].filter((k) => k.endsWith(`:${projectId}`)).forEach((k) => this.owned.delete(k)),
      () => this.owned.clear(),
    );
  }

  async assertOwner(userId: string, projectId: string): Promise<void> {
    const cacheKey = `${userId}:${projectId}`;
    if (this.owned.get(cacheKey)) return;
    await this.rpc.send('projects.get', { userId, projectId });
    this.owned.set(cacheKey, true);
  }
}
