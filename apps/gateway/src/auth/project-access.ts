import { Injectable } from '@nestjs/common';
import { RpcClient } from '@app/transport';

const TTL_MS = 30_000;

/** For a JWT on message routes: does this user own this project? Cached briefly; misses are 404. */
@Injectable()
export class ProjectAccess {
  private readonly owned = new Map<string, number>();

  constructor(private readonly rpc: RpcClient) {}

  async assertOwner(userId: string, projectId: string): Promise<void> {
    const cacheKey = `${userId}:${projectId}`;
    const until = this.owned.get(cacheKey);
    if (until && until > Date.now()) return;
    await this.rpc.send('projects.get', { userId, projectId });
    this.owned.set(cacheKey, Date.now() + TTL_MS);
  }
}
