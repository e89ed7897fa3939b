export * from './documents';
export * from './markdown-chunker';
export * from './knowledge-units';
export * from './knowledge-indexer';
export * from './knowledge-searcher';
export * from './models';
export * from './vectors';
export * from './confidence-calibration';
