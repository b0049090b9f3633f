export * from './whatsapp.connector';
export * from './whatsapp.credentials';
export * from './whatsapp.errors';
export * from './whatsapp.recipient';
export * from './whatsapp.signature';
