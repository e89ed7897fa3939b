// What the conversation service's understanding makes of customer messages, without a stack: the
// intent classifier's reading (label, confidence, the next likeliest), the intent acted on
// (`intentOf`, with its overrules) and whether the request gate reads a request. For working out
// why a simulated or real conversation went where it did. Needs `node scripts/build.mjs` first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nlu from '@switchboard/nlu';
import embeddings from '@switchboard/embeddings';

const USAGE = `usage: node eval/experiments/classify.mjs <en|zh> "<message>" ["<message>" ...]

Trains the retail intent classifier of that language (services/conversation/intents/retail-<lang>.csv,
the same local embedding model the service uses) and prints, for each message: the classifier's label
and confidence, its next likeliest, the intent acted on, and whether the message reads as a request.`;

const [language, ...texts] = process.argv.slice(2);
if (!['en', 'zh'].includes(language) || texts.length === 0 || texts.includes('--help')) {
  console.log(USAGE);
  process.exit(language === '--help' || texts.includes('--help') ? 0 : 2);
}
const require = createRequire(import.meta.url);
const { requestsAction } = require('../../services/conversation/dist/dialogue/order-action.task.js');
const { intentOf } = require('../../services/conversation/dist/dialogue/understanding.js');
const embedder = await embeddings.loadLocalEmbedder(language === 'zh' ? 'bge-small-zh-v1.5' : 'bge-small-en-v1.5');
const examples = nlu.parseIntentCsv(readFileSync(`services/conversation/intents/retail-${language}.csv`));
const classifier = await nlu.IntentClassifier.train(examples, [embedder]);
const predictions = await classifier.classifyMany(texts);
texts.forEach((text, i) => {
  const p = predictions[i];
  const next = p.alternatives.map((a) => `${a.label} ${a.confidence.toFixed(2)}`).join(', ');
  console.log(text);
  console.log(`  classifier: ${p.label} ${p.confidence.toFixed(2)} (then ${next})`);
  console.log(`  acted on: ${intentOf(p, text, 0.5) ?? '(unsure)'}; a request: ${requestsAction(text) || requestsAction(p.spelled)}`);
});
await embedder.close();
