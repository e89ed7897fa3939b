export * from './envelope';
export * from './errors';
export * from './dedupe-store';
export * from './kafka-bus';
export * from './reply-store';
export * from './rpc';
export * from './trace-recorder';
