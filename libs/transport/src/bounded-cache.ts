import { LRUCache } from 'lru-cache';

export interface BoundedCacheOptions<V> {
  /** Most entries kept; past it the least recently used goes. */
  max: number;
  /** How long an entry lives, unless `set` gives its own. */
  ttlMs: number;
  /** Called when an entry leaves the cache for any reason other than being replaced (expiry, eviction, delete, clear). */
  onRemove?: (value: V, key: string) => void;
}

/**
 * The one in-process cache of the platform (API keys, project access, connectors, webhook
 * subscriptions, project names): least recently used entries go past `max`, every entry expires
 * after its TTL, and a change-feed message deletes what it names at once.
 */
export class BoundedCache<V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<string, V>;

  constructor(options: BoundedCacheOptions<V>) {
    const { onRemove } = options;
    this.lru = new LRUCache<string, V>({
      max: options.max,
      ttl: options.ttlMs,
      ...(onRemove ? { dispose: (value: V, key: string, reason: string) => reason !== 'set' && onRemove(value, key) } : {}),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V, ttlMs?: number): void {
    this.lru.set(key, value, ttlMs === undefined ? undefined : { ttl: ttlMs });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Every entry whose value (or key) matches goes. */
  deleteWhere(matches: (value: V, key: string) => boolean): void {
    for (const [key, value] of this.lru.entries()) if (matches(value, key)) this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * The cached value, or `load()`'s, cached. When it is a promise, callers that miss together share
   * it, and one that rejects is dropped, so the next call loads again rather than failing for a TTL.
   */
  remember(key: string, load: () => V): V {
    const hit = this.lru.get(key);
    if (hit !== undefined) return hit;
    const value = load();
    this.lru.set(key, value);
    if (value instanceof Promise) value.catch(() => this.lru.get(key) === value && this.lru.delete(key));
    return value;
  }
}
