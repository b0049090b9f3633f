import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ChangeChannel, VerifiedApiKey } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { sha256Hex } from '@app/crypto';
import { ChangeFeed, RpcClient } from '@app/transport';

const NEGATIVE_TTL_MS = 5_000;
const TOUCH_EVERY_MS = 5_000;

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
 * lastUsedAt is collected here and written in one batch every few seconds.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Pending>();
  private generation = 0;
  private used = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rpc: RpcClient,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(ChangeChannel.ApiKeyChanged, (keyId) => this.forget((key) => key.keyId === keyId));
    await this.changes.subscribe(ChangeChannel.ProjectChanged, (projectId) => this.forget((key) => key.projectId === projectId));
    this.timer = setInterval(() => void this.flushUsage(), TOUCH_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushUsage();
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
    if (verified) this.used.add(verified.keyId);
    return verified;
  }

  private forget(matches: (key: VerifiedApiKey) => boolean): void {
    this.generation++;
    for (const [hash, entry] of this.cache) if (entry.key && matches(entry.key)) this.cache.delete(hash);
  }

  private async flushUsage(): Promise<void> {
    if (this.used.size === 0) return;
    const keyIds = [...this.used];
    this.used = new Set();
    await this.rpc.send('apiKeys.touch', { keyIds, at: new Date().toISOString() }).catch((err: Error) => {
      this.logger.warn(`could not record API key usage: ${err.message}`);
    });
  }
}
