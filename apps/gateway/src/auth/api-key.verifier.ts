import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeChannel, VerifiedApiKey } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { sha256Hex } from '@app/crypto';
import { ChangeFeed, RpcClient } from '@app/transport';
import { KeyUsage } from './key-usage';

const NEGATIVE_TTL_MS = 5_000;

interface Entry {
  key: VerifiedApiKey | null;
  expiresAt: number;
}

interface Pending {
  promise: Promise<VerifiedApiKey | null>;
  /** The change generation it started in: an answer older than a change is used once, never cached. */
  generation: number;
}

/**
 * Verifies an API key with one bcrypt (in management) per key per TTL, then answers from memory,
 * keyed by the key's SHA-256. A revoke, or a change to the key's project (its rate limit rides
 * with the key), drops the entry on every gateway via pub/sub.
 * Each use is handed to KeyUsage, which keeps lastUsedAt.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Pending>();
  private generation = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rpc: RpcClient,
    private readonly changes: ChangeFeed,
    private readonly usage: KeyUsage,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(ChangeChannel.ApiKeyChanged, (keyId) => this.forget((key) => key.keyId === keyId));
    await this.changes.subscribe(ChangeChannel.ProjectChanged, (projectId) => this.forget((key) => key.projectId === projectId));
  }

  async verify(key: string): Promise<VerifiedApiKey | null> {
    const hash = sha256Hex(key);
    const hit = this.cache.get(hash);
    const now = Date.now();
    let verified: VerifiedApiKey | null;
    if (hit && hit.expiresAt > now) {
      verified = hit.key;
    } else {
      let pending = this.inFlight.get(hash);
      if (!pending || pending.generation !== this.generation) {
        const started: Pending = { generation: this.generation, promise: this.rpc.send('apiKeys.verify', { key }) };
        started.promise = started.promise.finally(() => {
          if (this.inFlight.get(hash) === started) this.inFlight.delete(hash);
        });
        this.inFlight.set(hash, started);
        pending = started;
      }
      verified = await pending.promise;
      const ttl = verified ? this.config.apiKeyCacheTtlMs : NEGATIVE_TTL_MS;
      if (ttl > 0 && pending.generation === this.generation) this.cache.set(hash, { key: verified, expiresAt: now + ttl });
    }
    if (verified) this.usage.record(verified.keyId);
    return verified;
  }

  private forget(matches: (key: VerifiedApiKey) => boolean): void {
    this.generation++;
    for (const [hash, entry] of this.cache) if (entry.key && matches(entry.key)) this.cache.delete(hash);
  }
}
