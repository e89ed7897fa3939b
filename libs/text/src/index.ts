export { tokenize, stemWord, isCjkChar, STOP_WORDS } from './tokenizer';
export { splitSentences } from './sentences';
export { findPii, luhnValid, chineseIdValid, type PiiFinding } from './pii';
export { applyRedactions, type Redaction } from './redaction';
