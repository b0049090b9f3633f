/**
 * The API's shapes, imported type-only from libs/contracts — the server's own definitions — so a field
 * renamed there fails the dashboard's type check, and no server code can reach the bundle.
 */
export type { AnalyticsView } from '@contracts/analytics';
export type { ConnectorType } from '@contracts/connector-types';
export type { MessageStatus } from '@contracts/message-status';
export type { MessageEvent, MessagePage, MessageView, MessageWithEvents } from '@contracts/message.types';
export type { ApiKeyView, ConnectorView, ProjectView, RpcReply } from '@contracts/rpc';
export type { TemplateView } from '@contracts/templates.rpc';
export type { CreatedWebhookEndpoint, WebhookDeliveryPage, WebhookEndpointView } from '@contracts/webhooks.rpc';
