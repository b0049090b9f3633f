export * from './connector-types';
export * from './errors';
export * from './message-status';
export * from './message.types';
export * from './queues';
export * from './rpc';
