import type { Queue } from 'bullmq';
import { ChangeChannel, StatusEventData } from '@app/contracts';
import type { WebhookEndpointRepository } from '@app/database';
import type { ChangeFeed } from '@app/transport';
import { StatusEvents } from './status-events';

const added: Array<{ name: string; data: StatusEventData; opts: { jobId: string } }> = [];
/** What StatusEvents uses of its queue: `on('error')` and `addBulk`. */
const queue = {
  on(): void {},
  async addBulk(jobs: typeof added): Promise<void> {
    added.push(...jobs);
  },
} as unknown as Queue<StatusEventData>;

const WITH = '11111111-1111-4111-8111-111111111111';
const WITHOUT = '22222222-2222-4222-8222-222222222222';

function setup(types: Record<string, string[]>) {
  const queries: string[] = [];
  const projects = {
    subscribedEventTypes: async (projectId: string) => {
      queries.push(projectId);
      return new Set(types[projectId] ?? []);
    },
  } as unknown as WebhookEndpointRepository;
  const listeners = new Map<ChangeChannel, (id: string) => void>();
  const changes = {
    subscribe: async (channel: ChangeChannel, fn: (id: string) => void) => void listeners.set(channel, fn),
  } as unknown as ChangeFeed;
  return { events: new StatusEvents(projects, queue, changes), queries, listeners };
}

const event = (projectId: string, type: StatusEventData['type'], n = 1): StatusEventData => ({
  projectId,
  messageId: `00000000-0000-4000-8000-00000000000${n}`,
  type,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});

describe('StatusEvents', () => {
  beforeEach(() => {
    added.length = 0;
  });

  it('asks the database once per project, then skips projects without webhooks from memory', async () => {
    const { events, queries } = setup({});
    for (let n = 1; n <= 5; n++) await events.emit([event(WITHOUT, 'message.queued', n)]);
    expect(queries).toEqual([WITHOUT]);
    expect(added).toEqual([]);
  });

  it('queues only the event types an enabled endpoint subscribes to, one job per change', async () => {
    const { events } = setup({ [WITH]: ['message.sent'] });
    await events.emit([event(WITH, 'message.queued'), event(WITH, 'message.sent'), event(WITHOUT, 'message.sent')]);
    await events.emit([event(WITH, 'message.sent')]);
    expect(added.map((j) => [j.name, j.data.type, j.opts.jobId])).toEqual([
      ['status', 'message.sent', '00000000-0000-4000-8000-000000000001.message.sent.1767225601000'],
      ['status', 'message.sent', '00000000-0000-4000-8000-000000000001.message.sent.1767225601000'],
    ]);
  });

  it('forgets a project at once when its endpoints or the project change', async () => {
    const { events, queries, listeners } = setup({});
    await events.onModuleInit();
    await events.emit([event(WITHOUT, 'message.sent')]);
    listeners.get(ChangeChannel.WebhooksChanged)!(WITHOUT);
    await events.emit([event(WITHOUT, 'message.sent')]);
    listeners.get(ChangeChannel.ProjectChanged)!(WITHOUT);
    await events.emit([event(WITHOUT, 'message.sent')]);
    expect(queries).toEqual([WITHOUT, WITHOUT, WITHOUT]);
  });
});
