import { ServerRedis } from '@nestjs/microservices';
import { AppName, patternsOwnedBy } from '@app/contracts';

/** Start-up check (immich-style): the app answers exactly the patterns it owns, each once. */
export function assertRpcHandlers(app: AppName, server: ServerRedis): void {
  const registered = new Set([...server.getHandlers().keys()]);
  const owned = patternsOwnedBy(app);
  const missing = owned.filter((p) => !registered.has(p));
  const foreign = [...registered].filter((p) => !(owned as string[]).includes(p));
  if (missing.length || foreign.length) {
    throw new Error(
      `${app}: RPC handlers do not match the contract` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (foreign.length ? `; not owned: ${foreign.join(', ')}` : ''),
    );
  }
}
