import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { CONNECTOR_TYPES, ConnectorType, connectorQueueName, SEND_JOB, SendJobData, sendJobId } from '@app/contracts';
import { APP_CONFIG, AppConfig, closeQueue, logRedisErrors, redisOptions } from '@app/config';
import { traceCarrier } from '@app/observability';

/** BullMQ's key prefix for this platform: every queue key lives under `<REDIS_PREFIX>:bull`. */
export function bullPrefix(config: AppConfig): string {
  return `${config.redisPrefix}:bull`;
}

export function bullConnection(config: AppConfig) {
  return redisOptions(config, 'blocking');
}

/**
 * Producer side of the connector queues. The job id is the message id, so adding a message that is
 * already queued (the outbox sweep after a crash) is a no-op rather than a second send.
 */
@Injectable()
export class SendQueues implements OnApplicationShutdown {
  private readonly queues = new Map<ConnectorType, Queue<SendJobData>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(type: ConnectorType): Queue<SendJobData> {
    let queue = this.queues.get(type);
    if (!queue) {
      queue = new Queue<SendJobData>(connectorQueueName(type), {
        connection: bullConnection(this.config),
        prefix: bullPrefix(this.config),
      });
      logRedisErrors(queue, `queue ${queue.name}`);
      this.queues.set(type, queue);
    }
    return queue;
  }

  jobOptions(data: SendJobData): JobsOptions {
    return {
      jobId: sendJobId(data.messageId, data.redrives),
      attempts: this.config.sendMaxAttempts,
      backoff: { type: 'provider' },
      removeOnComplete: { age: 3600, count: 50_000 },
      removeOnFail: true,
    };
  }

  async addMany(type: ConnectorType, jobs: SendJobData[]): Promise<void> {
    if (jobs.length === 0) return;
    // A job without its own trace (a re-drive, the outbox sweep) continues the one that queues it.
    const trace = traceCarrier();
    await this.queue(type).addBulk(
      jobs.map((data) => ({ name: SEND_JOB, data: data.trace || !trace ? data : { ...data, trace }, opts: this.jobOptions(data) })),
    );
  }

  /** Adds jobs of mixed connector types: one addBulk per type's queue. */
  async addRouted(items: Array<{ type: ConnectorType; job: SendJobData }>): Promise<void> {
    const byType = new Map<ConnectorType, SendJobData[]>();
    for (const { type, job } of items) {
      const jobs = byType.get(type) ?? [];
      jobs.push(job);
      byType.set(type, jobs);
    }
    await Promise.all([...byType].map(([type, jobs]) => this.addMany(type, jobs)));
  }

  /** Waiting + delayed + active jobs per connector type, for the queue depth gauge. */
  async depths(): Promise<Record<ConnectorType, number>> {
    const entries = await Promise.all(
      CONNECTOR_TYPES.map(
        async (type) => [type, await this.queue(type).getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized')] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<ConnectorType, number>;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map(closeQueue));
  }
}
