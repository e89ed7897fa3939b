// Natural-language understanding for customer messages: intents trained from a tenant's examples,
// entities and slots, and sentiment / frustration.
export { editDistance } from './edit-distance';
export { parseIntentCsv, formatIntentCsv, type IntentExample } from './intent-csv';
export {
  calibrationKey,
  IntentClassifier,
  type Calibration,
  type EmbeddingStore,
  type IntentPrediction,
  type IntentTrainingOptions,
  type TrainingStage,
} from './intent.classifier';
export { type IntentAccuracy } from './held-out-accuracy';
export { scoreIntents, type IntentScores } from './intent-metrics';
export { stratifiedSplit, type SplitOptions } from './stratified-split';
export { extractEntities, type Entity, type EntityType, type EntityOptions } from './entities';
export { normalizeText, normalizeWithOffsets, type NormalizedText } from './normalize-text';
export { ProductMatcher, type ProductMatch } from './product-matcher';
export { sentimentOf, type Sentiment } from './sentiment';
