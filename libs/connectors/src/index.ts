export * from './connector.interface';
export * from './connector.registry';
export * from './telegram';
// Written by other engineers beside this lib; exported here because the apps import them from @app/connectors.
export * from './connector-loader';
export * from './recipients';
export * from './validate-settings';
