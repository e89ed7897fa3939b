import { loadLocalEmbedder, type Embedder } from '@switchboard/embeddings';
import { frustrationDetector } from './frustration-detector';
import { sentimentOf } from './sentiment';

describe('frustrationDetector (all-minilm-l6-v2)', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadLocalEmbedder('all-minilm-l6-v2');
  }, 60_000);
  afterAll(() => embedder?.close());

  it('raises frustration the lexicon misses, and says so', async () => {
    const text = 'I have been waiting two weeks and nobody answers my emails';
    const scored = await frustrationDetector(embedder)(text);
    expect(scored.frustration).toBeGreaterThanOrEqual(0.6);
    expect(scored.frustration).toBeGreaterThan(sentimentOf(text).frustration);
    expect(scored.signals).toContain('resembles_frustrated');
  });

  it('leaves calm requests calm and keeps the lexicon when it is stronger', async () => {
    const detect = frustrationDetector(embedder);
    expect(await detect('I want to change my address')).toEqual(sentimentOf('I want to change my address'));
    const angry = "This is ridiculous, third time I'm asking! Refund NOW!!!";
    expect(await detect(angry)).toEqual(sentimentOf(angry));
  });
});
