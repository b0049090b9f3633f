export * from './logger.module';
export * from './bootstrap';
export * from './periodic-task';
export * from './tracing';
export * from './trace-requests';
