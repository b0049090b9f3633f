export * from './connector.interface';
export * from './connector.registry';
export * from './callback-url';
export * from './smtp';
export * from './telegram';
export * from './twilio';
export * from './whatsapp';
// Written by other engineers beside this lib; exported here because the apps import them from @app/connectors.
export * from './connector-loader';
export * from './recipients';
export * from './validate-settings';
export * from './throughput';
export * from './provider-http';
