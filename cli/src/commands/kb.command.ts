// `switchboard kb ingest|search`: fill a tenant's knowledge base and look into it.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { create, IngestDocumentRequestSchema, Rpcs, SearchRequestSchema } from '@switchboard/contracts';
import type { RpcClient } from '@switchboard/messaging';
import { withRpc } from './bus';

const CONTENT_TYPES: Record<string, string> = { '.md': 'text/markdown', '.markdown': 'text/markdown', '.txt': 'text/plain' };

export async function ingestFile(rpc: RpcClient, tenantId: string, knowledgeBaseId: string, file: string): Promise<number> {
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (!contentType) throw new Error(`${file}: only ${Object.keys(CONTENT_TYPES).join(', ')} files can be ingested yet`);
  const content = readFileSync(file, 'utf8');
  const title = content.match(/^#\s+(.+)$/m)?.[1]?.trim() ?? path.basename(file, path.extname(file));
  const result = await rpc.request(Rpcs.kbIngest, create(IngestDocumentRequestSchema, {
    tenantId, knowledgeBaseId, documentId: path.basename(file), title, contentType, content,
  }), { timeoutMs: 60_000 });
  return result.chunks;
}

export function kbCommand(): Command {
  const kb = new Command('kb').description("manage a tenant's knowledge bases (the stack must be running)");

  kb.command('ingest')
    .description('ingest Markdown or text files into a knowledge base; re-ingesting a file replaces it')
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
          chunks += await ingestFile(rpc, options.tenant, options.kb, file);
          bar.increment();
        }
        bar.stop();
      });
      console.log(`Ingested ${paths.length} file(s), ${chunks} chunks, into tenant "${options.tenant}", knowledge base "${options.kb}".`);
    });

  kb.command('search')
    .description('search a tenant\'s knowledge bases as the bot does')
    .argument('<query>', 'the question')
    .option('-t, --tenant <id>', 'tenant id', 'demo')
    .option('-n, --limit <n>', 'passages to show', '5')
    .action(async (query: string, options: { tenant: string; limit: string }) => {
      const result = await withRpc({}, (rpc) => rpc.request(Rpcs.retrievalSearch, create(SearchRequestSchema, { tenantId: options.tenant, query, limit: Number(options.limit) }), { timeoutMs: 15_000 }));
      if (result.passages.length === 0) console.log('No passages match.');
      result.passages.forEach((p, i) => console.log(`${i + 1}. [${p.score.toFixed(2)}] ${p.title}\n   ${p.text.replace(/\s+/g, ' ').slice(0, 200)}`));
    });

  return kb;
}
