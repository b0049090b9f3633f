import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { ChangeChannel, STATUS_EVENT_JOB, STATUS_EVENTS_QUEUE, StatusEventData, WebhookEventType } from '@app/contracts';
import { logRedisErrors } from '@app/config';
import { childSpan, contextFrom, traceContext } from '@app/observability';
import { WebhookEndpointRepository } from '@app/database';
import { BoundedCache, ChangeFeed } from '@app/transport';

const TTL_MS = 30_000;
/** Enough for every active project; beyond it the least recently used entry goes (it is only a cache). */
const MAX_CACHED_PROJECTS = 50_000;

/**
 * The same change reported twice (a worker re-sending its outcome) has the same time, so it collapses
 * into one job; a re-drive's second `queued` is a new change with a new time and is kept.
 */
function jobOptions(e: StatusEventData): JobsOptions {
  return {
    jobId: `${e.messageId}.${e.type}.${Date.parse(e.at)}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}

/**
 * Every committed status change passes here: it gets a span in the message's trace (the send's, the
 * receipt's request, or the active one), which the webhook fan-out and deliveries continue.
 */
function traced(e: StatusEventData): StatusEventData {
  const span = childSpan(`message.status ${e.type.slice('message.'.length)}`, e.trace ? contextFrom(e.trace) : traceContext.active(), {
    'messagejs.message_id': e.messageId,
    'messagejs.status': e.type,
  });
  span.end();
  return { ...e, trace: span.carrier };
}

/**
 * Hands status changes to the webhooks app. Called after the change is committed; a lost event
 * costs a webhook, never a message. Projects without an enabled endpoint for the event are skipped
 * without touching the database: which event types each project wants is cached (30 s, dropped at once
 * when its endpoints change), so the accept path pays nothing for webhooks it does not have.
 */
@Injectable()
export class StatusEvents implements OnModuleInit {
  private readonly wanted = new BoundedCache<Promise<ReadonlySet<WebhookEventType>>>({ max: MAX_CACHED_PROJECTS, ttlMs: TTL_MS });

  /** The queue is registered through BullModule (DispatcherModule), which also closes it on shutdown. */
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    @InjectQueue(STATUS_EVENTS_QUEUE) private readonly queue: Queue<StatusEventData>,
    private readonly changes: ChangeFeed,
  ) {
    logRedisErrors(queue, `queue ${STATUS_EVENTS_QUEUE}`);
  }

  async onModuleInit(): Promise<void> {
    const drop = (projectId: string) => void this.wanted.delete(projectId);
    const dropAll = () => this.wanted.clear();
    await this.changes.subscribe(ChangeChannel.WebhooksChanged, drop, dropAll);
    await this.changes.subscribe(ChangeChannel.ProjectChanged, drop, dropAll);
  }

  async emit(events: StatusEventData[]): Promise<void> {
    const kept: StatusEventData[] = [];
    for (const e of events.map(traced)) if ((await this.typesWanted(e.projectId)).has(e.type)) kept.push(e);
    if (kept.length === 0) return;
    await this.queue.addBulk(kept.map((data) => ({ name: STATUS_EVENT_JOB, data, opts: jobOptions(data) })));
  }

  /** The event types the project's enabled endpoints subscribe to; an empty set for most projects. */
  private typesWanted(projectId: string): Promise<ReadonlySet<WebhookEventType>> {
    return this.wanted.remember(projectId, () => this.endpoints.subscribedEventTypes(projectId));
  }
}
