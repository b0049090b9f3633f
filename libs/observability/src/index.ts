export * from './logger.module';
export * from './bootstrap';
export * from './periodic-task';
export * from './health-server';
export * from './log-error';
export * from './background-failures';
export * from './tracing';
export * from './trace-requests';
