import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelsDir } from './models-dir';
import { assertLocalModelPresent } from './onnx.embedder';

describe('modelsDir', () => {
  it('defaults to <repo>/.local/models', () => {
    const repo = path.resolve(__dirname, '..', '..', '..');
    expect(modelsDir({})).toBe(path.join(repo, '.local', 'models'));
    expect(modelsDir({ SWITCHBOARD_MODELS_DIR: '  ' })).toBe(path.join(repo, '.local', 'models'));
  });

  it('follows SWITCHBOARD_MODELS_DIR, resolved to an absolute path', () => {
    expect(modelsDir({ SWITCHBOARD_MODELS_DIR: '/srv/models' })).toBe('/srv/models');
    expect(modelsDir({ SWITCHBOARD_MODELS_DIR: 'rel/models' })).toBe(path.resolve('rel/models'));
  });
});

describe('assertLocalModelPresent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-models-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing folder and the fetch script', () => {
    expect(() => assertLocalModelPresent('bge-small-zh-v1.5', dir)).toThrow(
      `local embedding model "bge-small-zh-v1.5" is not installed: ${path.join(dir, 'bge-small-zh-v1.5')} does not exist; run scripts/fetch-models.sh to fetch it`,
    );
  });

  it('names the files a half-made folder lacks', () => {
    const folder = path.join(dir, 'all-minilm-l6-v2');
    mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    writeFileSync(path.join(folder, 'tokenizer.json'), '{}');
    expect(() => assertLocalModelPresent('all-minilm-l6-v2', dir)).toThrow(
      /is incomplete: .*all-minilm-l6-v2 lacks \.complete, config\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx; run scripts\/fetch-models\.sh/,
    );
  });
});
