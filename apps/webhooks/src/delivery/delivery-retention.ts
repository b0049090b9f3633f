import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { PeriodicTask } from '@app/observability';
import { WebhookRepository } from '../webhook.repository';

const SWEEP_EVERY_MS = 3_600_000;
const FIRST_SWEEP_AFTER_MS = 1_000;
/** Small deletes, so the sweep never holds many locks or one long transaction. */
const BATCH = 5_000;

/**
 * Keeps the delivery log to WEBHOOK_DELIVERY_RETENTION_DAYS: once soon after start, then hourly.
 * Several webhooks processes may sweep at once; deleting by age is safe to repeat.
 */
@Injectable()
export class DeliveryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRetention.name);
  private readonly task = new PeriodicTask('delivery log sweep', this.logger, SWEEP_EVERY_MS, () => this.sweep());

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: WebhookRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(FIRST_SWEEP_AFTER_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Returns how many attempt rows were deleted. */
  async sweep(): Promise<number> {
    const before = new Date(Date.now() - this.config.webhookDeliveryRetentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await this.repository.deleteDeliveriesBefore(before, BATCH);
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total) this.logger.log(`deleted ${total} webhook delivery attempts older than ${this.config.webhookDeliveryRetentionDays} days`);
    return total;
  }
}
