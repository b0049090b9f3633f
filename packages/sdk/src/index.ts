import { MessageJS } from './client';
import type { AcceptedMessage, ListParams, Message, MessageJSOptions, MessageWithEvents, Page, SendParams } from './types';

export { MessageJS } from './client';
export { MessageJSError } from './errors';
export type { FieldError, Problem } from './errors';
export type {
  AcceptedMessage,
  ConnectorRef,
  ConnectorType,
  ListParams,
  Message,
  MessageEvent,
  MessageJSOptions,
  MessageStatus,
  MessageWithEvents,
  Page,
  SendParams,
  TemplateRef,
} from './types';

/** Options for `init`, besides the key and the project. */
export type InitOptions = Omit<MessageJSOptions, 'apiKey' | 'projectId'>;

let client: MessageJS | undefined;

// Async so that calling before init() rejects like any other failure instead of throwing.
const use = async () => {
  if (!client) throw new Error('messagejs: call messagejs.init(apiKey, projectId) first');
  return client;
};

/** Sets the key and project that `send`, `get`, `list` and `listAll` use; returns that client. */
export function init(apiKey: string, projectId?: string, options?: InitOptions): MessageJS {
  return (client = new MessageJS({ ...options, apiKey, projectId }));
}

/** Queues one message: `await messagejs.send({ to, message, connector })`. */
export const send = (params: SendParams): Promise<AcceptedMessage> => use().then((c) => c.send(params));

/** One message with its status events. */
export const get = (id: string): Promise<MessageWithEvents> => use().then((c) => c.get(id));

/** One page of messages, newest first. */
export const list = (params?: ListParams): Promise<Page<Message>> => use().then((c) => c.list(params));

/** Every matching message, following `nextCursor`: `for await (const m of messagejs.listAll()) …`. */
export async function* listAll(params?: ListParams): AsyncGenerator<Message, void, undefined> {
  yield* (await use()).listAll(params);
}

const messagejs = { init, send, get, list, listAll };
export default messagejs;
