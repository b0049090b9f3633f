export * from './password';
export * from './secret-box';
export * from './tokens';
export * from './secret-box.provider';
export * from './webhook-secret';
