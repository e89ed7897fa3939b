#!/usr/bin/env node
// How many knowledge-base questions the conversation would take into an order flow instead of
// answering them: the built-in intent model (its one encoder per language, as the conversation runs
// it) and the words that name an action outright give an order action (`intentOf`, as the
// conversation decides it at confidence >= 0.5), and the request gate (`requestsAction`)
// reads the message as a request (as written, or spelling corrected as the classifier read it). Run on the retail query sets (development and held-out), whose
// every message is a question for the knowledge base; a genuine request among them ("cancel my
// order plz") is rightly taken into a flow, so the list is printed to be read, not only counted.
// Needs a build (`node scripts/build.mjs`).
//
// Usage: node eval/experiments/faq-into-flows.mjs [--quiet]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import nlu from '@switchboard/nlu';
import embeddings from '@switchboard/embeddings';

const require = createRequire(import.meta.url);
const { requestsAction } = require('../../services/conversation/dist/dialogue/order-action.task.js');
const { intentOf } = require('../../services/conversation/dist/dialogue/understanding.js');
const ACTIONS = new Set(['cancel_order', 'return_item', 'exchange_item', 'modify_order', 'change_address', 'change_payment']);
const quiet = process.argv.includes('--quiet');

for (const [language, model] of [
  ['en', 'bge-small-en-v1.5'],
  ['zh', 'bge-small-zh-v1.5'],
]) {
  const queries = [`eval/retail-queries-${language}.csv`, `eval/retail-queries-heldout-${language}.csv`].flatMap((file) =>
    parse(readFileSync(file), { columns: true }).map((row) => row.query),
  );
  const embedder = await embeddings.loadLocalEmbedder(model);
  const examples = nlu.parseIntentCsv(readFileSync(`services/conversation/intents/retail-${language}.csv`));
  const classifier = await nlu.IntentClassifier.train(examples, [embedder]);
  const predictions = await classifier.classifyMany(queries);
  // The gate as the conversation runs it: on the message as written, or as the classifier read it.
  const gate = (q, i) => requestsAction(q) || requestsAction(predictions[i].spelled);
  const taken = queries.filter((q, i) => ACTIONS.has(intentOf(predictions[i], q, 0.5)) && gate(q, i));
  console.log(`${language}: ${taken.length} of ${queries.length} knowledge-base questions go into an order flow`);
  if (!quiet) for (const q of taken) console.log(`  ${q}`);
  await embedder.close();
}
