import { Inject, Injectable } from '@nestjs/common';
import {
  ChangeChannel,
  CreatedWebhookEndpoint,
  DomainError,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SECRET_OVERLAP_MS,
  WebhookEndpointView,
  WebhookEventType,
} from '@app/contracts';
import { APP_CONFIG, AppConfig } from '@app/config';
import { generateWebhookSecret, SecretBox } from '@app/crypto';
import { WebhookEndpointChanges, WebhookEndpointEntity, WebhookEndpointRepository } from '@app/database';
import { ChangeFeed, OutboundAddressRefused, resolveOutbound } from '@app/transport';
import { ProjectsService } from '../projects/projects.service';

function toView(e: WebhookEndpointEntity): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    enabled: e.disabledAt === null,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    disabledReason: e.disabledReason,
    previousSecretExpiresAt:
      e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date() ? e.previousSecretExpiresAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
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
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly projects: ProjectsService,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(userId: string, projectId: string, input: { url: string; events: readonly string[] }): Promise<CreatedWebhookEndpoint> {
    await this.projects.requireOwned(userId, projectId);
    const events = checkEvents(input.events);
    await this.checkUrl(input.url);
    const secret = generateWebhookSecret();
    const row = await this.endpoints.create(
      projectId,
      { url: input.url, events, secretSealed: this.box.seal(secret) },
      this.config.quotas.webhooksPerProject,
    );
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    return { ...toView(row), secret };
  }

  async list(userId: string, projectId: string): Promise<{ data: WebhookEndpointView[] }> {
    await this.projects.requireOwned(userId, projectId);
    return { data: (await this.endpoints.listInProject(projectId)).map(toView) };
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
    const changes: WebhookEndpointChanges = {};
    if (patch.events !== undefined) changes.events = checkEvents(patch.events);
    if (patch.url !== undefined && patch.url !== row.url) {
      await this.checkUrl(patch.url);
      changes.url = patch.url;
    }
    if (patch.enabled === true) {
      changes.disabledAt = null;
      changes.disabledReason = null;
    } else if (patch.enabled === false && row.disabledAt === null) {
      changes.disabledAt = new Date();
      changes.disabledReason = 'disabled by the owner';
    }
    const saved = Object.keys(changes).length > 0 ? await this.endpoints.update(projectId, row.id, changes) : row;
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    if (!saved) throw DomainError.notFound('webhook');
    return toView(saved);
  }

  async delete(userId: string, projectId: string, webhookId: string): Promise<{ deleted: true }> {
    const row = await this.requireEndpoint(userId, projectId, webhookId);
    await this.endpoints.delete(projectId, row.id);
    await this.changes.publish(ChangeChannel.WebhooksChanged, projectId);
    return { deleted: true };
  }

  /**
   * A new secret, shown once. The old one keeps signing too (deliveries carry both signatures) for
   * 24 h, so receivers can switch without missing an event.
   */
  async rotateSecret(userId: string, projectId: string, webhookId: string): Promise<{ secret: string; previousSecretExpiresAt: string }> {
    const row = await this.requireEndpoint(userId, projectId, webhookId);
    const secret = generateWebhookSecret();
    const expiresAt = new Date(Date.now() + WEBHOOK_SECRET_OVERLAP_MS);
    await this.endpoints.rotateSecret(projectId, row.id, this.box.seal(secret), expiresAt);
    return { secret, previousSecretExpiresAt: expiresAt.toISOString() };
  }

  requireEndpoint(userId: string, projectId: string, webhookId: string): Promise<WebhookEndpointEntity> {
    return this.projects.requireInOwned(userId, projectId, 'webhook', (inProject) => this.endpoints.findInProject(inProject, webhookId));
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
