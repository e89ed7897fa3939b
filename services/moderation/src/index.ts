// What operator tools (the moderation benchmark) use to run the checks exactly as the service does.
// The service itself starts from main.ts.
export * as builtInLists from './lists/built-in-lists';
export * as sharedLists from './lists/shared-lists';
export * as messageChecker from './checks/message-checker';
export * as compiledPolicy from './policies/compiled-policy';
export * as wordMatcher from './matching/word-matcher';
export * as textFolding from './matching/text-folding';
