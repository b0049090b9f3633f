export * from './logger.module';
export * from './bootstrap';
