import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ConnectorLoader, ConnectorRegistry, ProviderStatus } from '@app/connectors';
import { inSpan, messageTrace, PeriodicTask } from '@app/observability';
import { Receipt } from './receipt';
import { ReceiptsService } from './receipts.service';
import { ReceiptRepository, UnconfirmedMessage } from './receipt.repository';

const BATCH = 100;

/** A provider's answer as a receipt; null while it has nothing past `sent` to say. */
export function receiptFromStatus(externalId: string, status: ProviderStatus | null, at: Date): Receipt | null {
  switch (status) {
    case 'delivered':
    case 'read':
      return { externalId, status, at: at.toISOString() };
    case 'failed':
      return {
        externalId,
        status,
        at: at.toISOString(),
        error: { code: 'undelivered', message: 'the provider reports the message failed' },
      };
    default:
      return null;
  }
}

/**
 * Without PUBLIC_URL no provider receipt can reach the platform, so a message would stay `sent`
 * forever. Where the provider can be asked about one message (the connector has `getStatus`), this
 * asks about messages `sent` longer than RECONCILE_AFTER_MS — each again after a doubling wait, for
 * at most a week — and applies the answer as a receipt, through the same state machine.
 */
@Injectable()
export class StatusReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatusReconciler.name);
  private readonly task?: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectorRegistry,
    private readonly loader: ConnectorLoader,
    private readonly repository: ReceiptRepository,
    private readonly receipts: ReceiptsService,
  ) {
    // With PUBLIC_URL set, receipts arrive on their own: asking as well would only add provider traffic.
    if (config.publicUrl) return;
    const everyMs = Math.min(Math.max(Math.round(config.reconcileAfterMs / 4), 500), 60_000);
    this.task = new PeriodicTask('status reconciliation', this.logger, everyMs, () => this.reconcile());
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task?.stop() ?? Promise.resolve();
  }

  /** One round: claims the messages due for a check and asks their providers. Returns how many moved. */
  async reconcile(): Promise<number> {
    const types = this.registry.statusLookupTypes();
    if (types.length === 0) return 0;
    let moved = 0;
    for (const message of await this.repository.claimUnconfirmed(types, this.config.reconcileAfterMs, BATCH)) {
      // In the message's own trace: the provider look-up and the status change it makes read as part of the message's life.
      const options = { messageId: message.messageId, attributes: { 'messagejs.connector.type': message.connectorType } };
      moved += await inSpan('message.reconcile', { ...options, ...messageTrace(message.traceContext) }, () => this.check(message)).catch(
        (err: Error) => {
          this.logger.warn(`status check of ${message.connectorType} message ${message.messageId} failed: ${err.message}`);
          return 0;
        },
      );
    }
    if (moved) this.logger.log(`status reconciliation moved ${moved} messages`);
    return moved;
  }

  private async check(message: UnconfirmedMessage): Promise<number> {
    const { connector } = await this.loader.load(message.projectId, message.connectorId);
    if (!connector.getStatus) return 0;
    const receipt = receiptFromStatus(message.externalId, await connector.getStatus(message.externalId), new Date());
    return receipt ? this.receipts.applyChecked(message.connectorId, receipt) : 0;
  }
}
