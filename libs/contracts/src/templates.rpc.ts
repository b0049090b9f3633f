import type { AppName } from './rpc-owners';

/** Template patterns (issue: templates). Filled in by the templates feature. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TemplateRpc {}

export const TEMPLATE_RPC_OWNERS: Record<keyof TemplateRpc, AppName> = {};
