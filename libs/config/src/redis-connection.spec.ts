import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { logRedisErrors, reconnectDelay, redisOptions, redisOptionsFromUrl } from './redis-connection';

describe('redis connection', () => {
  it('reconnects forever, 200 ms more each try, at most 2 s apart', () => {
    expect([1, 2, 5, 10, 11, 1_000].map(reconnectDelay)).toEqual([200, 400, 1_000, 2_000, 2_000, 2_000]);
  });

  it('reads host, port, credentials, database and TLS from the URL', () => {
    expect(redisOptionsFromUrl('rediss://app:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });

  it.each([
    ['command', 1, undefined],
    ['probe', 1, false],
    ['blocking', null, true],
  ] as const)('a %s client gives up a command after %s retries (offline queue: %s)', (role, retries, offlineQueue) => {
    const options = redisOptions({ redisUrl: 'redis://127.0.0.1:6379' }, role);
    expect(options.retryStrategy).toBe(reconnectDelay);
    expect(options.maxRetriesPerRequest).toBe(retries);
    expect(options.enableOfflineQueue).toBe(offlineQueue);
  });

  it('logs an outage once per client, not once per reconnect attempt', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const client = new EventEmitter();
    logRedisErrors(client, 'rate limiter');
    for (let i = 0; i < 5; i++) client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(warn.mock.calls).toEqual([['rate limiter: connect ECONNREFUSED 127.0.0.1:6379']]);
    warn.mockRestore();
  });
});
