import { timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectorType, DomainError, ErrorCode, RpcPayload, RpcReply } from '@app/contracts';
import { ConnectorLoader, verifyTwilioSignature, verifyWhatsAppSignature } from '@app/connectors';
import { childSpan, logBackgroundFailure, messageTrace, PeriodicTask } from '@app/observability';
import { StatusEvents } from '../events/status-events';
import { Receipt, twilioReceipt, whatsAppReceipts } from './receipt';
import { ReceiptMove, ReceiptRepository } from './receipt.repository';

const SWEEP_EVERY_MS = 5_000;
/** Early receipts are matched within seconds; the sweep looks back this far for any that were missed. */
const SWEEP_LOOKBACK_MS = 60 * 60_000;
const SWEEP_BATCH = 100;
const PENDING_TTL_MS = 7 * 24 * 60 * 60_000;

/**
 * Provider receipts: checks the provider's signature with the connector's own secret, then moves
 * each message only forward (invariant 3). A receipt that beats the send's reply waits in
 * pending_receipts until the send is recorded; one for an id no message ever gets expires.
 */
@Injectable()
export class ReceiptsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReceiptsService.name);
  private readonly sweeper = new PeriodicTask('pending receipt sweep', this.logger, SWEEP_EVERY_MS, () => this.sweep());

  constructor(
    private readonly loader: ConnectorLoader,
    private readonly repository: ReceiptRepository,
    private readonly events: StatusEvents,
  ) {}

  async twilio(p: RpcPayload<'receipts.twilio'>): Promise<RpcReply<'receipts.twilio'>> {
    const authToken = await this.credential(p.connectorId, 'twilio', 'authToken');
    if (!authToken || !verifyTwilioSignature(authToken, p.url, p.params, p.signature)) {
      throw new DomainError(ErrorCode.Forbidden, 'X-Twilio-Signature is missing or does not match');
    }
    const receipt = twilioReceipt(p.params, new Date());
    if (receipt) await this.record(p.connectorId, [receipt]);
    return { received: receipt ? 1 : 0 };
  }

  async whatsapp(p: RpcPayload<'receipts.whatsapp'>): Promise<RpcReply<'receipts.whatsapp'>> {
    const appSecret = await this.credential(p.connectorId, 'whatsapp', 'appSecret');
    if (!appSecret) throw new DomainError(ErrorCode.Forbidden, 'the connector has no appSecret to check X-Hub-Signature-256 with');
    const raw = Buffer.from(p.rawBody, 'base64');
    if (!verifyWhatsAppSignature(raw, p.signature, appSecret)) {
      throw new DomainError(ErrorCode.Forbidden, 'X-Hub-Signature-256 is missing or does not match');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new DomainError(ErrorCode.BadRequest, 'the request body is not valid JSON');
    }
    const receipts = whatsAppReceipts(body);
    await this.record(p.connectorId, receipts);
    return { received: receipts.length };
  }

  async whatsappChallenge(p: RpcPayload<'receipts.whatsappChallenge'>): Promise<RpcReply<'receipts.whatsappChallenge'>> {
    const { entity, credentials } = await this.connector(p.connectorId, 'whatsapp');
    // A credential now; config holds it only for a row management has not moved yet (VerifyTokenMove).
    const expected = credentials().verifyToken ?? entity.config.verifyToken;
    return {
      ok:
        p.mode === 'subscribe' && typeof expected === 'string' && typeof p.verifyToken === 'string' && sameString(expected, p.verifyToken),
    };
  }

  /**
   * Call right after a send's provider id is stored: applies, in order, the receipts that arrived
   * before it. Returns how many moved the message.
   */
  async applyPending(connectorId: string, externalId: string): Promise<number> {
    const moves = await this.repository.applyPending(connectorId, externalId);
    await this.emit(moves);
    return moves.length;
  }

  /** Right after sends are recorded: applies receipts that arrived before them (usually none: one query). */
  async applyPendingFor(sent: Array<{ connectorId: string; externalId: string }>): Promise<number> {
    let applied = 0;
    for (const pair of await this.repository.pendingAmong(sent)) applied += await this.applyPending(pair.connectorId, pair.externalId);
    return applied;
  }

  /** A status the provider answered when asked (the reconciler): applied as a receipt; returns how many moves it made. */
  async applyChecked(connectorId: string, receipt: Receipt): Promise<number> {
    const { moves } = await this.repository.apply(connectorId, receipt);
    await this.emit(moves);
    return moves.length;
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }

  /** The safety net: applies pending receipts whose message appeared without applyPending (a crash in between), drops expired ones. */
  async sweep(): Promise<void> {
    let applied = 0;
    for (const { connectorId, externalId } of await this.repository.matchedPending(SWEEP_LOOKBACK_MS, SWEEP_BATCH)) {
      applied += await this.applyPending(connectorId, externalId);
    }
    const expired = await this.repository.deleteExpiredPending(PENDING_TTL_MS);
    if (applied || expired) this.logger.log(`pending receipts: ${applied} applied late, ${expired} expired`);
  }

  private async record(connectorId: string, receipts: Receipt[]): Promise<void> {
    for (const receipt of receipts) {
      const { result, moves } = await this.repository.apply(connectorId, receipt);
      await this.emit(moves);
      if (result !== 'unknown') continue;
      await this.repository.keepPending(connectorId, receipt);
      // The send may have been recorded between the two statements above, its applyPending finding nothing yet.
      await this.applyPending(connectorId, receipt.externalId);
    }
  }

  /**
   * Each committed move becomes a status event; a lost event costs a webhook, never the receipt.
   * The move is recorded in the message's own trace, and the receipt's request only linked to it:
   * one provider request can carry receipts for many messages (a WhatsApp batch), and OpenTelemetry's
   * messaging conventions link a delivery to each message's creation context, making it the parent
   * only where one message is handled — here the message's trace is the parent, the request a link.
   */
  private async emit(moves: ReceiptMove[]): Promise<void> {
    if (moves.length === 0) return;
    const events = moves.map((m) => {
      const { parent, links } = messageTrace(m.traceContext);
      const span = childSpan(`message.receipt ${m.status}`, parent, { 'messagejs.message_id': m.messageId }, links);
      span.end();
      return { projectId: m.projectId, messageId: m.messageId, type: `message.${m.status}` as const, at: m.at, trace: span.carrier };
    });
    await this.events
      .emit(events)
      .catch(logBackgroundFailure(this.logger, 'status-event', { messageIds: events.map((e) => e.messageId) }, events.length));
  }

  /** An unknown id and a connector of another type read the same: no such connector. */
  private async connector(connectorId: string, type: ConnectorType) {
    const entry = await this.loader.loadById(connectorId);
    if (entry.entity.type !== type) throw DomainError.notFound('connector');
    return entry;
  }

  private async credential(connectorId: string, type: ConnectorType, name: string): Promise<string | undefined> {
    const value = (await this.connector(connectorId, type)).credentials()[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
