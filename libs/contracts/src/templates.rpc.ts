import type { ConnectorType } from './connector-types';
import type { AppName, InProject } from './rpc-owners';
import type { WhatsAppTemplateRef } from './template';

/** The public template object; `variables` is always parsed from `content`, never sent by clients. */
export interface TemplateView {
  id: string;
  name: string;
  content: string;
  channel: ConnectorType | null;
  variables: string[];
  whatsapp: WhatsAppTemplateRef | null;
  createdAt: string;
  updatedAt: string;
}

/** Template CRUD (issue: templates). The dispatcher reads templates from the database at send time. */
export interface TemplateRpc {
  'templates.create': {
    payload: InProject<{ name: string; content: string; channel?: ConnectorType; whatsapp?: WhatsAppTemplateRef }>;
    reply: TemplateView;
  };
  /** Newest first, keyset-paginated like messages. */
  'templates.list': { payload: InProject<{ limit: number; cursor?: string }>; reply: { data: TemplateView[]; nextCursor: string | null } };
  'templates.get': { payload: InProject<{ templateId: string }>; reply: TemplateView };
  /** `null` clears `channel` or `whatsapp`; a new `content` re-parses `variables`. */
  'templates.update': {
    payload: InProject<{
      templateId: string;
      name?: string;
      content?: string;
      channel?: ConnectorType | null;
      whatsapp?: WhatsAppTemplateRef | null;
    }>;
    reply: TemplateView;
  };
  'templates.delete': { payload: InProject<{ templateId: string }>; reply: { deleted: true } };
}

export const TEMPLATE_RPC_OWNERS: Record<keyof TemplateRpc, AppName> = {
  'templates.create': 'management',
  'templates.list': 'management',
  'templates.get': 'management',
  'templates.update': 'management',
  'templates.delete': 'management',
};
