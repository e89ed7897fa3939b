// `switchboard kb ingest|search`: fill a tenant's knowledge base and look into it.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import {
  create,
  IngestDocumentRequestSchema,
  MAX_DOCUMENT_BYTES,
  Rpcs,
  SearchRequestSchema,
  type IngestDocumentResult,
} from '@switchboard/contracts';
import type { RpcClient } from '@switchboard/messaging';
import { withRpc } from './bus';
import { formatReport, runEval, type EvalOptions } from './kb-eval';

/** Sends one file to retrieval, which decides its type by extension (Markdown, HTML, text, PDF, DOCX, FAQ CSV/JSON). */
export async function ingestFile(rpc: RpcClient, tenantId: string, knowledgeBaseId: string, file: string): Promise<IngestDocumentResult> {
  const data = readFileSync(file);
  if (data.length > MAX_DOCUMENT_BYTES)
    throw new Error(`${file}: larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; split it into smaller documents`);
  const documentId = path
    .basename(file)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return rpc.request(
    Rpcs.kbIngest,
    create(IngestDocumentRequestSchema, { tenantId, knowledgeBaseId, documentId, fileName: path.basename(file), data }),
    { timeoutMs: 10 * 60_000 },
  );
}

export function kbCommand(): Command {
  const kb = new Command('kb').description("manage a tenant's knowledge bases (the stack must be running)");

  kb.command('ingest')
    .description(
      'ingest Markdown, HTML, text, PDF, DOCX or FAQ (CSV/JSON) files; re-ingesting a file replaces it and embeds only what changed',
    )
    .argument('<paths...>', 'files to ingest')
    .option('-t, --tenant <id>', 'tenant id', 'demo')
    .option('-k, --kb <id>', 'knowledge base id', 'default')
    .action(async (paths: string[], options: { tenant: string; kb: string }) => {
      for (const p of paths) if (!statSync(p, { throwIfNoEntry: false })?.isFile()) throw new Error(`${p} is not a file`);
      const bar = new SingleBar({ format: 'ingesting [{bar}] {value}/{total} files | {file}', hideCursor: true }, Presets.shades_classic);
      let chunks = 0;
      await withRpc({}, async (rpc) => {
        bar.start(paths.length, 0, { file: '' });
        for (const file of paths) {
          bar.update({ file: path.basename(file) });
          chunks += (await ingestFile(rpc, options.tenant, options.kb, file)).chunks;
          bar.increment();
        }
        bar.stop();
      });
      console.log(`Ingested ${paths.length} file(s), ${chunks} chunks, into tenant "${options.tenant}", knowledge base "${options.kb}".`);
    });

  kb.command('search')
    .description("search a tenant's knowledge bases as the bot does")
    .argument('<query>', 'the question')
    .option('-t, --tenant <id>', 'tenant id', 'demo')
    .option('-n, --limit <n>', 'passages to show', '5')
    .option('--mode <mode>', 'hybrid, keyword or dense', 'hybrid')
    .action(async (query: string, options: { tenant: string; limit: string; mode: string }) => {
      const result = await withRpc({}, (rpc) =>
        rpc.request(
          Rpcs.retrievalSearch,
          create(SearchRequestSchema, { tenantId: options.tenant, query, limit: Number(options.limit), mode: options.mode }),
          { timeoutMs: 15_000 },
        ),
      );
      if (result.standardAnswer)
        console.log(
          `Standard answer (FAQ ${result.standardAnswer.faqId}, confidence ${result.standardAnswer.confidence.toFixed(2)}): ${result.standardAnswer.answer}\n`,
        );
      if (result.passages.length === 0) console.log('No passages match.');
      result.passages.forEach((p, i) =>
        console.log(`${i + 1}. [${p.score.toFixed(2)}] ${p.title}\n   ${p.text.replace(/\s+/g, ' ').slice(0, 200)}`),
      );
    });

  kb.command('eval')
    .description(
      "measure retrieval on your own FAQ in-process (temporary embedded knowledge base, local model; no stack needed), with the word-for-word confidence floor calibrated on the FAQ's own phrasings and its precision",
    )
    .requiredOption('--faq <faq.csv>', 'FAQ: columns faq_id,question,answer and optional alt_questions (separated by |)')
    .requiredOption('--queries <queries.csv>', 'queries: columns query,expected (expected = a faq_id)')
    .option('--mode <mode>', 'hybrid, keyword or dense', 'hybrid')
    .option('--model <name>', "embedding model, or an ensemble joined by + (default: by the FAQ's language)")
    .option(
      '--json',
      'print one JSON object: recall_at_1, recall_at_5, mrr, p50_ms, p95_ms, n, model, calibration, confident, confident_model_floor, index_ms',
    )
    .action(async (options: { faq: string; queries: string; mode: string; model?: string; json?: boolean }) => {
      if (!['hybrid', 'keyword', 'dense'].includes(options.mode)) throw new Error('--mode must be hybrid, keyword or dense');
      const report = await runEval({ ...options, mode: options.mode as EvalOptions['mode'] });
      console.log(options.json ? JSON.stringify(report) : formatReport(report));
    });

  return kb;
}
