// Benchmark: ingestion throughput and search latency of the embedded knowledge-base stack at scale
// (real local embeddings, LanceDB, hybrid search with query embedding included).
// Chunks are assembled from public data (BANKING77 customer questions, tau-retail products and
// orders) so every one is distinct text of realistic length; they are not a real knowledge base.
// --synthetic swaps the model for random unit vectors: the store's side (writes, index builds,
// search) at full scale in minutes instead of the half hour real embeddings take at 100k.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parse } from 'csv-parse/sync';
import { loadLocalEmbedder, type Embedder } from '@switchboard/embeddings';
import {
  DEFAULT_MEMORY_LIMITS,
  KnowledgeIndexer,
  KnowledgeSearcher,
  LanceDbVectorStore,
  keywordsOf,
  type KnowledgeUnit,
} from '@switchboard/knowledge';
import { sharedDataDir } from '../paths';
import { cpuMs } from './idle-cpu';
import { percentile } from './percentile';

interface Product {
  name: string;
  variants: Record<string, { options: Record<string, string>; price: number; available: boolean }>;
}
interface Order {
  order_id: string;
  status: string;
  items: Array<{ name: string; price: number }>;
  address: { city: string; state: string };
}

function corpus(): { questions: string[]; facts: string[] } {
  const rows = parse<{ text: string }>(readFileSync(path.join(sharedDataDir, 'banking77', 'train.csv')), { columns: true });
  const products = Object.values(
    JSON.parse(readFileSync(path.join(sharedDataDir, 'tau-retail', 'products.json'), 'utf8')) as Record<string, Product>,
  );
  const orders = Object.values(
    JSON.parse(readFileSync(path.join(sharedDataDir, 'tau-retail', 'orders.json'), 'utf8')) as Record<string, Order>,
  );
  const facts = [
    ...products.flatMap((p) =>
      Object.entries(p.variants).map(
        ([id, v]) =>
          `The ${p.name} variant ${id} with ${Object.entries(v.options)
            .map(([k, o]) => `${k} ${o}`)
            .join(', ')} costs $${v.price} and is ${v.available ? 'in stock' : 'sold out'}.`,
      ),
    ),
    ...orders.map(
      (o) =>
        `Order ${o.order_id} is ${o.status}, ships to ${o.address.city}, ${o.address.state}, and holds ${o.items.map((i) => i.name).join(', ')}.`,
    ),
  ];
  return { questions: rows.map((r) => r.text.trim()), facts };
}

function chunkText(i: number, c: { questions: string[]; facts: string[] }): string {
  const q = c.questions[i % c.questions.length];
  const f1 = c.facts[(i * 7) % c.facts.length];
  const f2 = c.facts[(i * 13 + Math.floor(i / c.facts.length)) % c.facts.length];
  return `${q} ${f1} ${f2}`;
}

/** Random L2-normalised vectors (seeded, so runs are comparable): no model, no embedding cost. */
function syntheticEmbedder(dimension: number): Embedder {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const vector = () => {
    const v = Float32Array.from({ length: dimension }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  return { model: `synthetic-${dimension}`, dimension, embed: async (texts) => texts.map(vector), close: async () => undefined };
}

/**
 * CPU used so far (user + system, ms) by this process (the store, LanceDB's threads included) and
 * by its children (the embedding model processes), which is what a search costs the retrieval
 * service.
 */
function searchCpuMs(): { self: number; children: number; total: number } {
  const { user, system } = process.cpuUsage();
  const self = (user + system) / 1000;
  const children = childPids().reduce((sum, pid) => sum + cpuMs(pid), 0);
  return { self, children, total: self + children };
}

function childPids(): number[] {
  const tasks = readdirSync(`/proc/${process.pid}/task`);
  return tasks.flatMap((tid) => readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

interface KbBenchOptions {
  sizes: number[];
  queries: number;
  model: string;
  processes: number;
  synthetic: boolean;
  /** Tenants of at most this many chunks are searched in memory; 0 = always LanceDB's queries. */
  memoryRows: number;
}

async function benchScale({ sizes, queries, model, processes, synthetic, memoryRows }: KbBenchOptions): Promise<void> {
  const data = corpus();
  const embedder = synthetic ? syntheticEmbedder(384) : await loadLocalEmbedder(model, undefined, { processes });
  const embedding = synthetic ? 'synthetic vectors, no model' : `${processes} single-threaded model process(es)`;
  try {
    for (const size of sizes) {
      const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-kb-'));
      const store = await LanceDbVectorStore.open(dir, {
        memory: { tenantRows: memoryRows, totalRows: Math.max(memoryRows, DEFAULT_MEMORY_LIMITS.totalRows) },
      });
      const searchedBy = size <= memoryRows ? 'searched in memory' : "searched by LanceDB's queries";
      try {
        const units: KnowledgeUnit[] = Array.from({ length: size }, (_, i) => {
          const text = chunkText(i, data);
          return {
            id: `doc#${i}`,
            position: i,
            text,
            title: `Bench document > part ${Math.floor(i / 50)}`,
            embedText: text,
            keywords: keywordsOf(text),
            faqId: '',
          };
        });
        const indexer = new KnowledgeIndexer(store, embedder);
        const started = Date.now();
        let lastReport = started;
        let written = started;
        await indexer.index(
          {
            tenantId: 'bench',
            knowledgeBaseId: 'kb',
            documentId: 'doc',
            version: 1,
            language: 'en',
            accessLevel: 0,
            tags: [],
            product: '',
            validFrom: 0,
            validTo: 0,
          },
          units,
          (done, total) => {
            // The last callback follows the last write; what remains of index() is optimize().
            if (done === total) written = Date.now();
            if (Date.now() - lastReport > 10_000) {
              lastReport = Date.now();
              process.stderr.write(`  ${size}: ${done}/${total} chunks (${(done / ((Date.now() - started) / 1000)).toFixed(0)}/s)\n`);
            }
          },
        );
        const seconds = (Date.now() - started) / 1000;
        const optimizeSeconds = (Date.now() - written) / 1000;
        const searcher = new KnowledgeSearcher(store, embedder, indexer.collection);
        // The filter the retrieval service sends: tenant, its knowledge bases, access level, validity now.
        const filter = { tenantId: 'bench', knowledgeBaseIds: ['kb'], maxAccessLevel: 0, at: Date.now() };
        for (let i = 0; i < 10; i += 1) await searcher.search(data.questions[i], { mode: 'hybrid', limit: 5, filter });
        const latencies: number[] = [];
        const cpuBefore = searchCpuMs();
        for (let i = 0; i < queries; i += 1) {
          const query = data.questions[(i * 37 + 5) % data.questions.length];
          const t0 = process.hrtime.bigint();
          await searcher.search(query, { mode: 'hybrid', limit: 5, filter });
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        const cpuAfter = searchCpuMs();
        latencies.sort((a, b) => a - b);
        const perSearch = (ms: number) => (ms / queries).toFixed(2);
        const rss = process.memoryUsage().rss / 1024 / 1024;
        console.log(
          `${size} chunks: ingestion ${(size / seconds).toFixed(1)} chunks/s (${seconds.toFixed(0)} s, embed + write + index, of which the final optimize ${optimizeSeconds.toFixed(0)} s; ${embedding}); hybrid search p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms over ${queries} queries (query embedding included; ${searchedBy}); CPU per search ${perSearch(cpuAfter.total - cpuBefore.total)} ms (this process ${perSearch(cpuAfter.self - cpuBefore.self)}, model processes ${perSearch(cpuAfter.children - cpuBefore.children)}); RSS ${rss.toFixed(0)} MB`,
        );
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await embedder.close();
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`it must be a whole number >= 0; got ${JSON.stringify(value)}`);
  return n;
}

export function kbBenchCommand(): Command {
  return new Command('kb')
    .description('ingestion throughput and hybrid search latency on the embedded store at scale (real embeddings unless --synthetic)')
    .option('--sizes <list>', 'comma-separated chunk counts', '10000,100000')
    .option('--queries <n>', 'measured searches per size', '300')
    .option('--model <name>', 'local embedding model', 'all-minilm-l6-v2')
    .option('--processes <n>', 'embedding model processes (one core each)', '1')
    .option('--synthetic', 'random unit vectors instead of the model: times the store alone', false)
    .option(
      '--memory-rows <n>',
      "knowledge bases of at most n chunks are searched in memory, as the retrieval service does (0: always LanceDB's queries)",
      wholeNumber,
      DEFAULT_MEMORY_LIMITS.tenantRows,
    )
    .action((options: { sizes: string; queries: string; model: string; processes: string; synthetic: boolean; memoryRows: number }) =>
      benchScale({
        sizes: options.sizes.split(',').map(Number),
        queries: Number(options.queries),
        model: options.model,
        processes: Number(options.processes),
        synthetic: options.synthetic,
        memoryRows: options.memoryRows,
      }),
    );
}
