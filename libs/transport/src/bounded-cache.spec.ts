import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('keeps at most `max` entries, dropping the least recently used', () => {
    const cache = new BoundedCache<number>({ max: 2, ttlMs: 60_000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('forgets an entry after its TTL, or after the TTL given with it', async () => {
    const cache = new BoundedCache<string>({ max: 10, ttlMs: 60_000 });
    const brief = new BoundedCache<string>({ max: 10, ttlMs: 20 });
    cache.set('default', 'x');
    cache.set('short', 'y', 20);
    brief.set('default', 'z');
    await new Promise((r) => setTimeout(r, 40));
    expect([cache.get('default'), cache.get('short'), brief.get('default')]).toEqual(['x', undefined, undefined]);
  });

  it('tells onRemove about evicted, deleted and cleared entries, not replaced ones', () => {
    const removed: string[] = [];
    const cache = new BoundedCache<string>({ max: 1, ttlMs: 60_000, onRemove: (value) => removed.push(value) });
    cache.set('a', 'first');
    cache.set('a', 'replaced');
    cache.set('b', 'evicts a');
    cache.delete('b');
    cache.set('c', 'cleared');
    cache.clear();
    expect(removed).toEqual(['replaced', 'evicts a', 'cleared']);
  });

  it('deletes every entry that matches', () => {
    const cache = new BoundedCache<{ projectId: string }>({ max: 10, ttlMs: 60_000 });
    cache.set('k1', { projectId: 'p1' });
    cache.set('k2', { projectId: 'p2' });
    cache.set('k3', { projectId: 'p1' });
    cache.deleteWhere((v) => v.projectId === 'p1');
    expect([cache.get('k1'), cache.get('k2'), cache.get('k3')]).toEqual([undefined, { projectId: 'p2' }, undefined]);
  });

  it('shares one load between callers that miss together, and drops a load that failed', async () => {
    const cache = new BoundedCache<Promise<string>>({ max: 10, ttlMs: 60_000 });
    let loads = 0;
    const failing = () => {
      loads++;
      return Promise.reject(new Error('database away'));
    };
    const [a, b] = [cache.remember('p', failing), cache.remember('p', failing)];
    await expect(a).rejects.toThrow('database away');
    await expect(b).rejects.toThrow('database away');
    expect(loads).toBe(1);
    expect(cache.get('p')).toBeUndefined();
    expect(await cache.remember('p', () => Promise.resolve('loaded'))).toBe('loaded');
    expect(await cache.remember('p', failing)).toBe('loaded');
  });
});
