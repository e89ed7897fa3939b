import { LOCAL_MODELS, LOCAL_MODEL_NAMES, isLocalModel, localModel, withQueryPrefix } from './local-models';

describe('local model registry', () => {
  it('describes the three fetched models', () => {
    expect(LOCAL_MODEL_NAMES).toEqual(['all-minilm-l6-v2', 'bge-small-en-v1.5', 'bge-small-zh-v1.5', 'e5-small-v2']);
    expect(LOCAL_MODELS['all-minilm-l6-v2']).toMatchObject({
      dimension: 384,
      pooling: 'mean',
      queryPrefix: '',
      maxLength: 256,
      language: 'en',
    });
    expect(LOCAL_MODELS['bge-small-en-v1.5']).toMatchObject({ dimension: 384, pooling: 'cls', maxLength: 512, language: 'en' });
    expect(LOCAL_MODELS['bge-small-zh-v1.5']).toMatchObject({ dimension: 512, pooling: 'cls', maxLength: 512, language: 'zh' });
    for (const name of LOCAL_MODEL_NAMES) expect(LOCAL_MODELS[name].name).toBe(name);
  });

  it('carries the BGE query instructions exactly', () => {
    expect(LOCAL_MODELS['bge-small-en-v1.5'].queryPrefix).toBe('Represent this sentence for searching relevant passages: ');
    expect(LOCAL_MODELS['bge-small-zh-v1.5'].queryPrefix).toBe('为这个句子生成表示以用于检索相关文章：');
  });

  it('prefixes queries only, and only for models with a prefix', () => {
    const zh = localModel('bge-small-zh-v1.5');
    expect(withQueryPrefix(zh, '怎么退货', 'query')).toBe('为这个句子生成表示以用于检索相关文章：怎么退货');
    expect(withQueryPrefix(zh, '怎么退货', 'passage')).toBe('怎么退货');
    expect(withQueryPrefix(localModel('all-minilm-l6-v2'), 'How do I return an item?', 'query')).toBe('How do I return an item?');
  });

  it('gives E5 its prefix on both sides, and the others none on passages', () => {
    expect(withQueryPrefix(localModel('e5-small-v2'), 'reset my password', 'query')).toBe('query: reset my password');
    expect(withQueryPrefix(localModel('e5-small-v2'), 'How do I reset my password?', 'passage')).toBe(
      'passage: How do I reset my password?',
    );
    expect(withQueryPrefix(localModel('bge-small-en-v1.5'), 'How do I reset my password?', 'passage')).toBe('How do I reset my password?');
  });

  it('rejects unknown names, listing the known ones', () => {
    expect(isLocalModel('bge-small-zh-v1.5')).toBe(true);
    expect(isLocalModel('toString')).toBe(false);
    expect(() => localModel('text-embedding-3-small')).toThrow(
      /unknown local embedding model "text-embedding-3-small".*all-minilm-l6-v2, bge-small-en-v1.5, bge-small-zh-v1.5/,
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(LOCAL_MODELS)).toBe(true);
    expect(Object.isFrozen(LOCAL_MODELS['all-minilm-l6-v2'])).toBe(true);
  });
});
