export * from './smtp.connector';
export * from './smtp.credentials';
export * from './smtp.errors';
export * from './smtp.recipient';
