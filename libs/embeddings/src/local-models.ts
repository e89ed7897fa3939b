// The sentence-embedding models that run in-process. scripts/fetch-models.sh fetches each one into
// <models dir>/<name>/ (tokenizer + quantised ONNX, the layout transformers.js loads offline).

export type Pooling = 'mean' | 'cls';

export interface LocalModelSpec {
  /** Our stable name: the folder under the models dir and what a knowledge base records. */
  readonly name: string;
  readonly dimension: number;
  /** How token vectors become one sentence vector (always followed by L2 normalisation). */
  readonly pooling: Pooling;
  /** Prepended to texts embedded as kind 'query'; '' = none. */
  readonly queryPrefix: string;
  /** Prepended to texts embedded as kind 'passage'; '' = none (only E5 was trained with one). */
  readonly passagePrefix: string;
  /** Tokens per text, [CLS] and [SEP] included; longer texts are truncated. */
  readonly maxLength: number;
  /** The language the model is meant for. */
  readonly language: 'en' | 'zh';
}

const specs = [
  // sentence-transformers/all-MiniLM-L6-v2: trained with 256-token inputs; its vocabulary is
  // English (Chinese characters mostly become [UNK]).
  { name: 'all-minilm-l6-v2', dimension: 384, pooling: 'mean', queryPrefix: '', passagePrefix: '', maxLength: 256, language: 'en' },
  // BAAI/bge-small-en-v1.5: the instruction is for short queries that look for passages.
  {
    name: 'bge-small-en-v1.5',
    dimension: 384,
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    maxLength: 512,
    language: 'en',
  },
  {
    name: 'bge-small-zh-v1.5',
    dimension: 512,
    pooling: 'cls',
    queryPrefix: '为这个句子生成表示以用于检索相关文章：',
    passagePrefix: '',
    maxLength: 512,
    language: 'zh',
  },
  // intfloat/e5-small-v2: trained with "query: " and "passage: " on both sides of every pair.
  {
    name: 'e5-small-v2',
    dimension: 384,
    pooling: 'mean',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    maxLength: 512,
    language: 'en',
  },
] as const satisfies readonly LocalModelSpec[];

export type LocalModelName = (typeof specs)[number]['name'];

export const LOCAL_MODELS: Readonly<Record<LocalModelName, LocalModelSpec>> = Object.freeze(
  Object.fromEntries(specs.map((spec) => [spec.name, Object.freeze({ ...spec })])) as Record<LocalModelName, LocalModelSpec>,
);

export const LOCAL_MODEL_NAMES: readonly LocalModelName[] = specs.map((spec) => spec.name);

export function isLocalModel(name: string): name is LocalModelName {
  return Object.prototype.hasOwnProperty.call(LOCAL_MODELS, name);
}

/** The spec of a local model; throws, naming the known ones, for any other name. */
export function localModel(name: string): LocalModelSpec {
  if (!isLocalModel(name)) {
    throw new Error(`unknown local embedding model "${name}" (known: ${LOCAL_MODEL_NAMES.join(', ')})`);
  }
  return LOCAL_MODELS[name];
}

/** The text a model actually embeds: the model's prefix for its kind, if it has one. */
export function withQueryPrefix(spec: LocalModelSpec, text: string, kind: 'query' | 'passage'): string {
  return (kind === 'query' ? spec.queryPrefix : spec.passagePrefix) + text;
}
