export * from './database';
export * from './outbox';
export * from './erasure';
