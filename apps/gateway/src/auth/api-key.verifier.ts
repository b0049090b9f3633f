import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeChannel, VerifiedApiKey } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { sha256Hex } from '@app/crypto';
import { BoundedCache, ChangeFeed, RpcClient } from '@app/transport';
import { KeyUsage } from './key-usage';

const NEGATIVE_TTL_MS = 5_000;
/** Bounded, so a flood of random keys cannot grow the gateway's memory: the oldest answers go first. */
const MAX_ENTRIES = 20_000;

interface Entry {
  key: VerifiedApiKey | null;
}

interface Pending {
  promise: Promise<VerifiedApiKey | null>;
  /** The change generation it started in: an answer older than a change is used once, never cached. */
  generation: number;
}

/**
 * Verifies an API key with one bcrypt (in management) per key per TTL, then answers from memory,
 * keyed by the key's SHA-256. Refusals are cached briefly too. A revoke, or a change to the key's
 * project (its rate limit rides with the key), drops the entry on every gateway via pub/sub; a
 * reconnect of that feed (changes may have been missed) drops them all.
 * Each use is handed to KeyUsage, which keeps lastUsedAt.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit {
  private readonly cache = new BoundedCache<Entry>({ max: MAX_ENTRIES, ttlMs: NEGATIVE_TTL_MS });
  private readonly inFlight = new Map<string, Pending>();
  private generation = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rpc: RpcClient,
    private readonly changes: ChangeFeed,
    private readonly usage: KeyUsage,
  ) {}

  async onModuleInit(): Promise<void> {
    const forgetAll = () => {
      this.generation++;
      this.cache.clear();
    };
    await this.changes.subscribe(ChangeChannel.ApiKeyChanged, (keyId) => this.forget((key) => key.keyId === keyId), forgetAll);
    await this.changes.subscribe(ChangeChannel.ProjectChanged, (projectId) => this.forget((key) => key.projectId === projectId), forgetAll);
  }

  /** The cached verification of a valid key, if there is one: no I/O at all. */
  recentlyVerified(key: string): VerifiedApiKey | undefined {
    const verified = this.cache.get(sha256Hex(key))?.key;
    if (verified) this.usage.record(verified);
    return verified ?? undefined;
  }

  async verify(key: string): Promise<VerifiedApiKey | null> {
    const hash = sha256Hex(key);
    const hit = this.cache.get(hash);
    let verified: VerifiedApiKey | null;
    if (hit) {
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
      if (ttl > 0 && pending.generation === this.generation) this.cache.set(hash, { key: verified }, ttl);
    }
    if (verified) this.usage.record(verified);
    return verified;
  }

  private forget(matches: (key: VerifiedApiKey) => boolean): void {
    this.generation++;
    this.cache.deleteWhere((entry) => entry.key !== null && matches(entry.key));
  }
}
