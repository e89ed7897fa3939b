export { tokenize, stemWord, isCjkChar, STOP_WORDS } from './tokenizer';
export { splitSentences } from './sentences';
