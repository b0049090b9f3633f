import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { CONNECTOR_TYPES, ConnectorType, connectorQueueName, SEND_JOB, SendJobData, sendJobId } from '@app/contracts';
import { APP_CONFIG, AppConfig, logRedisErrors } from '@app/config';
import { traceCarrier } from '@app/observability';

/** The connector queues, for `BullModule.registerQueue` in the apps that produce to them (or read their depths). */
export const SEND_QUEUE_NAMES = CONNECTOR_TYPES.map(connectorQueueName);

/**
 * Producer side of the connector queues. The job id is the message id, so adding a message that is
 * already queued (the outbox sweep after a crash) is a no-op rather than a second send. The queues are
 * registered through BullModule, which also closes them on shutdown.
 */
@Injectable()
export class SendQueues {
  private readonly queues: Record<ConnectorType, Queue<SendJobData>>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(connectorQueueName('telegram')) telegram: Queue<SendJobData>,
    @InjectQueue(connectorQueueName('whatsapp')) whatsapp: Queue<SendJobData>,
    @InjectQueue(connectorQueueName('twilio')) twilio: Queue<SendJobData>,
    @InjectQueue(connectorQueueName('smtp')) smtp: Queue<SendJobData>,
  ) {
    this.queues = { telegram, whatsapp, twilio, smtp };
    for (const queue of Object.values(this.queues)) logRedisErrors(queue, `queue ${queue.name}`);
  }

  queue(type: ConnectorType): Queue<SendJobData> {
    return this.queues[type];
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
}
