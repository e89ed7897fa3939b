export * from './bootstrap';
export * from './health';
export * from './metrics';
export * from './platform.module';
export * from './tokens';
export * from './repeating-task';
