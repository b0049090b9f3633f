export * from './data-source';
export * from './database.module';
export * from './entities/api-key.entity';
export * from './entities/connector.entity';
export * from './entities/message.entity';
export * from './entities/project.entity';
export * from './entities/refresh-token.entity';
export * from './entities/user.entity';
