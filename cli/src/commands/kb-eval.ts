// `switchboard kb eval`: measures retrieval on a support team's own FAQ, in-process — a fresh
// temporary knowledge base on the embedded vector store with the local embedding model; no
// running stack needed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SingleBar, Presets } from 'cli-progress';
import { loadLocalEmbedder } from '@switchboard/embeddings';
import {
  KnowledgeIndexer,
  KnowledgeSearcher,
  LanceDbVectorStore,
  answeredPrecision,
  calibrateFloor,
  collectionFor,
  defaultModelFor,
  parseDocument,
  phrasingPairs,
  similarityFloors,
  unitsOf,
  type Calibration,
  type ConfidencePair,
  type SearchMode,
} from '@switchboard/knowledge';
import { percentile } from '../bench/percentile';

export interface EvalOptions {
  faq: string;
  queries: string;
  mode: SearchMode;
  model?: string;
  json?: boolean;
}

export interface EvalReport {
  recall_at_1: number;
  recall_at_5: number;
  mrr: number;
  p50_ms: number;
  p95_ms: number;
  n: number;
  mode: SearchMode;
  model: string;
  /** The word-for-word floor fitted on the FAQ's own phrasings (or the model's, when too few). */
  calibration: Calibration;
  /** On the eval queries: share answered word for word, and share of those right. */
  confident: { floor: number; answered: number; precision: number };
  /** The same at the model's fixed floor, for comparison. */
  confident_model_floor: { floor: number; answered: number; precision: number };
  index_ms: number;
}

const TENANT = 'eval';
const KB = 'faq';

function readQueries(file: string, faqIds: Set<string>): Array<{ query: string; expected: string }> {
  const rows = parse<Record<string, string>>(readFileSync(file), {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    bom: true,
    relax_column_count: true,
  });
  if (rows.length === 0) throw new Error(`${file}: no queries (expected columns query,expected)`);
  if (!('query' in rows[0]) || !('expected' in rows[0])) throw new Error(`${file}: needs the columns query,expected`);
  return rows.map((row, i) => {
    const query = (row.query ?? '').trim();
    const expected = (row.expected ?? '').trim();
    if (!query) throw new Error(`${file} row ${i + 2}: query is empty`);
    if (!faqIds.has(expected)) throw new Error(`${file} row ${i + 2}: expected "${expected}" is not a faq_id of the FAQ file`);
    return { query, expected };
  });
}

export async function runEval(
  options: EvalOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<EvalReport> {
  const doc = await parseDocument({ fileName: path.basename(options.faq), contentType: 'text/csv', data: readFileSync(options.faq) });
  const faqIds = new Set(doc.faqs.map((f) => f.faqId));
  const queries = readQueries(options.queries, faqIds);
  const model = options.model ?? defaultModelFor(doc.language);
  const embedder = await loadLocalEmbedder(model);
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-eval-'));
  const store = await LanceDbVectorStore.open(dir);
  const showProgress = process.stderr.isTTY;
  try {
    const units = unitsOf('faq', doc);
    const indexer = new KnowledgeIndexer(store, embedder);
    const bar = new SingleBar(
      { format: '{task} [{bar}] {value}/{total}', stream: process.stderr, noTTYOutput: false },
      Presets.shades_classic,
    );
    log(`Indexing ${doc.faqs.length} FAQ entries (${units.length} phrasings) with ${model}…`);
    if (showProgress) bar.start(units.length, 0, { task: 'indexing' });
    const indexStarted = process.hrtime.bigint();
    await indexer.index(
      {
        tenantId: TENANT,
        knowledgeBaseId: KB,
        documentId: 'faq',
        version: 1,
        language: doc.language,
        accessLevel: 0,
        tags: [],
        product: '',
        validFrom: 0,
        validTo: 0,
      },
      units,
      (done) => showProgress && bar.update(done),
    );
    const indexMs = Number(process.hrtime.bigint() - indexStarted) / 1e6;
    if (showProgress) bar.stop();

    const filter = { tenantId: TENANT, knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 };
    const searcher = new KnowledgeSearcher(store, embedder, collectionFor(model));
    await searcher.search('warm up', { mode: options.mode, limit: 10, filter });
    log("Calibrating the word-for-word floor on the FAQ's own phrasings…");
    const floors = similarityFloors(model);
    const calibration = calibrateFloor(await phrasingPairs(searcher, units, filter, 'faq'), floors.standardAnswer, floors.relevant);
    const outcomes: ConfidencePair[] = [];
    log(`Running ${queries.length} queries (${options.mode})…`);
    if (showProgress) bar.start(queries.length, 0, { task: 'querying' });
    const latencies: number[] = [];
    let hit1 = 0;
    let hit5 = 0;
    let reciprocal = 0;
    for (const [i, q] of queries.entries()) {
      const started = process.hrtime.bigint();
      const { hits, top } = await searcher.search(q.query, { mode: options.mode, limit: 10, filter });
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (top) outcomes.push({ top, correct: hits[0]?.record.faqId === q.expected });
      const rank = hits.findIndex((h) => h.record.faqId === q.expected) + 1;
      if (rank === 1) hit1 += 1;
      if (rank >= 1 && rank <= 5) hit5 += 1;
      if (rank >= 1) reciprocal += 1 / rank;
      if (showProgress) bar.update(i + 1);
    }
    if (showProgress) bar.stop();
    latencies.sort((a, b) => a - b);
    const n = queries.length;
    const round = (x: number) => Math.round(x * 10000) / 10000;
    // A query without a dense hit (keyword mode) is never answered with confidence.
    const confidentAt = (floor: number) => {
      const { answered, precision } = answeredPrecision(outcomes, floor);
      return { floor: round(floor), answered: round((answered * outcomes.length) / n), precision: round(precision) };
    };
    return {
      recall_at_1: round(hit1 / n),
      recall_at_5: round(hit5 / n),
      mrr: round(reciprocal / n),
      p50_ms: round(percentile(latencies, 50)),
      p95_ms: round(percentile(latencies, 95)),
      n,
      mode: options.mode,
      model,
      calibration: {
        ...calibration,
        floor: round(calibration.floor),
        answered: round(calibration.answered),
        precision: round(calibration.precision),
      },
      confident: confidentAt(calibration.floor),
      confident_model_floor: confidentAt(floors.standardAnswer),
      index_ms: Math.round(indexMs),
    };
  } finally {
    await store.close();
    await embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReport(r: EvalReport): string {
  return [
    `mode ${r.mode}, model ${r.model}, ${r.n} queries`,
    `recall@1  ${r.recall_at_1.toFixed(3)}`,
    `recall@5  ${r.recall_at_5.toFixed(3)}`,
    `MRR       ${r.mrr.toFixed(3)}`,
    `latency   p50 ${r.p50_ms.toFixed(1)} ms, p95 ${r.p95_ms.toFixed(1)} ms (query embedding included); indexing ${(r.index_ms / 1000).toFixed(1)} s`,
    `confidence floor ${r.calibration.floor.toFixed(3)} (${r.calibration.source === 'phrasings' ? `calibrated on ${r.calibration.pairs} of the FAQ's own phrasings: ${pct(r.calibration.answered)} answered, ${pct(r.calibration.precision)} right` : `the model's: only ${r.calibration.pairs} phrasings to calibrate on`})`,
    `answered with confidence  ${pct(r.confident.answered)} of queries, precision ${pct(r.confident.precision)}`,
    `  at the model's floor ${r.confident_model_floor.floor.toFixed(3)}: ${pct(r.confident_model_floor.answered)} answered, precision ${pct(r.confident_model_floor.precision)}`,
  ].join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
