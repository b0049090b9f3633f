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

/**
 * Verifies an API key with one bcrypt (in management) per key per TTL, then answers from memory,
 * keyed by the key's SHA-256. A revoke anywhere drops the entry on every gateway via pub/sub.
 * lastUsedAt is collected here and written in one batch every few seconds.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<VerifiedApiKey | null>>();
  private used = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rpc: RpcClient,
    private readonly changes: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.changes.subscribe(ChangeChannel.ApiKeyRevoked, (keyId) => {
      for (const [hash, entry] of this.cache) if (entry.key?.keyId === keyId) this.cache.delete(hash);
    });
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
      if (!pending) {
        pending = this.rpc.send('apiKeys.verify', { key }).finally(() => this.inFlight.delete(hash));
        this.inFlight.set(hash, pending);
      }
      verified = await pending;
      const ttl = verified ? this.config.apiKeyCacheTtlMs : NEGATIVE_TTL_MS;
      if (ttl > 0) this.cache.set(hash, { key: verified, expiresAt: now + ttl });
    }
    if (verified) this.used.add(verified.keyId);
    return verified;
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
