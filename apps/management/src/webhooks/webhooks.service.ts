import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import {
  ChangeChannel,
  CreatedWebhookEndpoint,
  DomainError,
  WEBHOOK_EVENT_TYPES,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEventType,
} from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { generateWebhookSecret, SecretBox } from '@app/crypto';
import { decodePageCursor, encodePageCursor, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/database';
import { ChangeFeed, OutboundAddressRefused, resolveOutbound } from '@app/transport';
import { ProjectsService } from '../projects/projects.service';

/** Stripe allows 16; a project needs a few (prod, staging, an audit sink), not hundreds. */
const MAX_ENDPOINTS_PER_PROJECT = 20;

function toView(e: WebhookEndpointEntity): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    enabled: e.disabledAt === null,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    disabledReason: e.disabledReason,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

function toDeliveryView(d: WebhookDeliveryEntity): WebhookDeliveryView {
  return {
    id: d.id,
    webhookId: d.webhookId,
    messageId: d.messageId,
    eventType: d.eventType,
    attempt: d.attempt,
    status: d.status,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** A non-empty set of known event types, in the canonical order. */
function checkEvents(events: readonly string[]): WebhookEventType[] {
  const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) throw DomainError.validation('events', `has unknown event types: ${unknown.join(', ')}`);
  if (events.length === 0) throw DomainError.validation('events', 'must name at least one event type');
  return WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));
}

/**
 * Webhook endpoints: the secret is generated here, shown once and stored sealed (we sign with it);
 * URLs must reach a public address (SSRF guard; checked again by the webhooks app at each delivery).
 * Every change tells the dispatcher, which caches which projects have endpoints.
 */
@Injectable()
export class WebhooksService {
  private readonly endpoints: Repository<WebhookEndpointEntity>;
  private readonly deliveries: Repository<WebhookDeliveryEntity>;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
  ) {
    this.endpoints = dataSource.getRepository(WebhookEndpointEntity);
    this.deliveries = dataSource.getRepository(WebhookDeliveryEntity);
  }

  async create(userId: string, projectId: string, input: { url: string; events: readonly string[] }): Promise<CreatedWebhookEndpoint> {
    await this.projects.requireOwned(userId, projectId);
    const events = checkEvents(input.events);
    await this.checkUrl(input.url);
    if ((await this.endpoints.countBy({ projectId })) >= MAX_ENDPOINTS_PER_PROJECT) {
      throw DomainError.validation('url', `cannot be added: a project has at most ${MAX_ENDPOINTS_PER_PROJECT} webhook endpoints`);
    }
    const secret = generateWebhookSecret();
    const row = await this.endpoints.save(
      this.endpoints.create({
        projectId,
        url: input.url,
        events,
        secretSealed: this.box.seal(secret),
        disabledAt: null,
        disabledReason: null,
      }),
    );
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    return { ...toView(row), secret };
  }

  async list(userId: string, projectId: string): Promise<{ data: WebhookEndpointView[] }> {
    await this.projects.requireOwned(userId, projectId);
    const rows = await this.endpoints.find({ where: { projectId }, order: { createdAt: 'DESC', id: 'DESC' } });
    return { data: rows.map(toView) };
  }

  async get(userId: string, projectId: string, webhookId: string): Promise<WebhookEndpointView> {
    return toView(await this.requireEndpoint(userId, projectId, webhookId));
  }

  /** `enabled: true` clears a disable (a 410 or the owner's); events missed meanwhile are not replayed. */
  async update(
    userId: string,
    projectId: string,
    webhookId: string,
    patch: { url?: string; events?: readonly string[]; enabled?: boolean },
  ): Promise<WebhookEndpointView> {
    const row = await this.requireEndpoint(userId, projectId, webhookId);
    if (patch.events !== undefined) row.events = checkEvents(patch.events);
    if (patch.url !== undefined && patch.url !== row.url) {
      await this.checkUrl(patch.url);
      row.url = patch.url;
    }
    if (patch.enabled === true) {
      row.disabledAt = null;
      row.disabledReason = null;
    } else if (patch.enabled === false && row.disabledAt === null) {
      row.disabledAt = new Date();
      row.disabledReason = 'disabled by the owner';
    }
    const saved = await this.endpoints.save(row);
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    return toView(saved);
  }

  async delete(userId: string, projectId: string, webhookId: string): Promise<{ deleted: true }> {
    const row = await this.requireEndpoint(userId, projectId, webhookId);
    await this.endpoints.delete({ id: row.id, projectId });
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    return { deleted: true };
  }

  /** Every attempt, newest first, keyset-paginated on (created_at, id) like messages. */
  async listDeliveries(
    userId: string,
    projectId: string,
    webhookId: string,
    page: { limit: number; cursor?: string },
  ): Promise<WebhookDeliveryPage> {
    const endpoint = await this.requireEndpoint(userId, projectId, webhookId);
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId AND d.project_id = :projectId', { endpointId: endpoint.id, projectId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(page.limit + 1);
    if (page.cursor) {
      const [at, id] = decodePageCursor(page.cursor);
      query.andWhere('(d.created_at, d.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await query.getMany();
    const data = rows.slice(0, page.limit);
    const last = data[data.length - 1];
    return { data: data.map(toDeliveryView), nextCursor: rows.length > page.limit ? encodePageCursor(last.createdAt, last.id) : null };
  }

  private async requireEndpoint(userId: string, projectId: string, webhookId: string): Promise<WebhookEndpointEntity> {
    await this.projects.requireOwned(userId, projectId);
    const row = await this.endpoints.findOneBy({ id: webhookId, projectId });
    if (!row) throw DomainError.notFound('webhook');
    return row;
  }

  private async checkUrl(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw DomainError.validation('url', 'must be an http or https URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw DomainError.validation('url', 'must be an http or https URL');
    if (this.config.webhookAllowPrivate) return;
    try {
      await resolveOutbound(parsed.hostname, false);
    } catch (err) {
      if (err instanceof OutboundAddressRefused) throw DomainError.validation('url', `must reach a public address: ${err.message}`);
      throw DomainError.validation('url', `has a host that does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
  }
}
