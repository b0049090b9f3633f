import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { connectorQueueName, SendJobData } from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { watchConsumer } from '@app/observability';
import { bullConnection, bullPrefix, closeWorkers } from '@app/transport';
import { backoffDelayMs, RetryLater } from './retry-policy';
import { SendProcessor } from './send.processor';

/**
 * One BullMQ worker per connector type named in CONNECTORS, so each type scales on its own.
 * Built by hand, not as @nestjs/bullmq @Processor classes: the queues are chosen at runtime from
 * CONNECTORS, while a @Processor names its queue at compile time; and @nestjs/bullmq closes its workers
 * on shutdown with `worker.close()` and no time limit, while ours is bounded by SHUTDOWN_TIMEOUT_MS.
 */
@Injectable()
export class SendWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SendWorkers.name);
  private readonly workers: Worker<SendJobData>[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly processor: SendProcessor,
  ) {}

  onApplicationBootstrap(): void {
    for (const type of this.config.connectors) {
      const worker = new Worker<SendJobData>(connectorQueueName(type), (job, token) => this.processor.process(job, token), {
        connection: bullConnection(this.config),
        prefix: bullPrefix(this.config),
        concurrency: this.config.workerConcurrency,
        lockDuration: 15_000,
        stalledInterval: 15_000,
        maxStalledCount: 10,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
            err instanceof RetryLater
              ? err.delayMs
              : backoffDelayMs(attemptsMade, this.config.retryBaseDelayMs, this.config.retryMaxDelayMs),
        },
      });
      worker.on('error', (err) => this.logger.warn(`${type} worker: ${err.message}`));
      this.workers.push(worker);
      watchConsumer({ name: worker.name, isRunning: () => worker.isRunning() && !worker.isPaused() });
    }
    this.logger.log(`consuming ${this.config.connectors.map(connectorQueueName).join(', ')}`);
  }

  /** SIGTERM: stop taking jobs, let in-flight sends finish (bounded), then let the process exit. */
  async onApplicationShutdown(): Promise<void> {
    await closeWorkers(this.workers, this.config.shutdownTimeoutMs, () =>
      this.logger.warn(
        'send workers did not close in time (sends still in flight, or Redis unreachable); unfinished jobs will be picked up again',
      ),
    );
  }
}
