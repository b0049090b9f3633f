export * from './twilio.connector';
export * from './twilio.credentials';
export * from './twilio.errors';
export * from './twilio.recipient';
export * from './twilio.signature';
