export * from './telegram.connector';
export * from './telegram.credentials';
export * from './telegram.errors';
