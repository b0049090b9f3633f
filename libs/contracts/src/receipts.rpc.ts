import type { AppName } from './rpc-owners';

/** Provider receipt patterns (issue: provider callbacks). Filled in by the receipts feature. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ReceiptRpc {}

export const RECEIPT_RPC_OWNERS: Record<keyof ReceiptRpc, AppName> = {};
