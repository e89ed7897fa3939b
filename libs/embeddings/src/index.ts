export type { Embedder, EmbeddingKind } from './embedder';
export {
  LOCAL_MODELS,
  LOCAL_MODEL_NAMES,
  isLocalModel,
  localModel,
  withQueryPrefix,
  type LocalModelName,
  type LocalModelSpec,
  type Pooling,
} from './local-models';
export { modelsDir } from './models-dir';
export { OnnxEmbedder, loadLocalEmbedder, assertLocalModelPresent, type OnnxEmbedderOptions } from './onnx.embedder';
export { OpenAiEmbedder, type OpenAiEmbedderOptions } from './openai.embedder';
export { l2Normalize, dot, cosine, batches } from './vectors';
export { EnsembleEmbedder, ENSEMBLE_SEPARATOR, ensembleMembers, isEnsembleModel } from './ensemble.embedder';
