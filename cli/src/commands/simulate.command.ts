// `switchboard simulate --tasks <file> [--repeat k]`: scripted customers against a running stack,
// scored by the order system's end state, with pass^1 and pass^k per intent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '@switchboard/logging';
import { openReferenceSystem } from '@switchboard/integration-service';
import { ChatClient } from '../chat/chat.client';
import { sharedDataDir } from '../paths';
import { figuresPerIntent } from '../simulate/pass-k';
import { recordFigures } from '../simulate/record-figures';
import { SimulationRunner } from '../simulate/simulation.runner';
import { parseTasks } from '../simulate/simulation-task';
import { defaults } from './infra';
import { localGateway } from '../config/service-configs';
import { DEV_KEY_FILE } from './stack.command';

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('must be a whole number from 1 to 20');
  return n;
};

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      `play scripted customers against a running stack over gRPC; score each task by the order system's end state (DATABASE_URL, default ${defaults.databaseUrl})`,
    )
    .requiredOption('--tasks <file>', 'a JSON list of tasks (see eval/order-tasks.json and docs/flows.md)')
    .option('--repeat <k>', 'trials per task; pass^k needs all k to succeed', positive, 1)
    .option('-a, --address <host:port>', 'ChatGateway address', localGateway.grpcAddress)
    .option('-k, --key <apiKey>', `API key (default: the dev stack's demo key from ${DEV_KEY_FILE})`)
    .option('-t, --tenant <id>', "the API key's tenant, whose order data is reset before each trial", 'demo')
    .option('--database-url <url>', "the stack's database (its integration schema holds the order data)", defaults.databaseUrl)
    .option(
      '--record',
      "keep pass^1 and pass^k per intent as the tenant's figures (conversation.intent_figures), which its autonomy bars are checked against",
      false,
    )
    .addHelpText(
      'after',
      `
Each trial resets the tenant's reference order data (as "switchboard tools reset" does): run it
against a development stack, never one that serves customers. The data is reset again at the end.`,
    )
    .action(
      async (options: {
        tasks: string;
        repeat: number;
        address: string;
        key?: string;
        tenant: string;
        databaseUrl: string;
        record: boolean;
      }) => {
        const tasks = parseTasks(readFileSync(options.tasks, 'utf8'));
        const key = options.key ?? (existsSync(DEV_KEY_FILE) ? readFileSync(DEV_KEY_FILE, 'utf8').trim() : '');
        const logger = createLogger('cli', 'error', new Writable({ write: (_c, _e, done) => done() }));
        const system = await openReferenceSystem(
          {
            databaseUrl: options.databaseUrl,
            dataDir: process.env.REFERENCE_DATA_DIR ?? path.join(sharedDataDir, 'tau-retail'),
            createDatabase: false,
          },
          logger,
        );
        const chat = new ChatClient(options.address, key);
        try {
          const results = await new SimulationRunner(chat, system).run(tasks, {
            tenantId: options.tenant,
            repeat: options.repeat,
            onTrial: (r) =>
              console.log(
                `${r.passed ? 'pass' : 'FAIL'}  ${r.taskId} #${r.trial + 1} (${r.turns} turns)${r.reason ? `: ${r.reason}` : ''}`,
              ),
          });
          console.log(`\n${'intent'.padEnd(22)} tasks  pass^1  pass^${options.repeat}`);
          const figures = figuresPerIntent(results, options.repeat);
          for (const f of figures) {
            console.log(
              `${f.intent.padEnd(22)} ${String(f.tasks).padStart(5)}  ${f.passAt1.toFixed(2).padStart(6)}  ${f.passAtK.toFixed(2).padStart(6)}`,
            );
          }
          if (options.record) {
            const recorded = await recordFigures(options.databaseUrl, options.tenant, options.repeat, figures);
            const at = recorded[0];
            console.log(
              `\nrecorded ${recorded.length} intents for tenant ${options.tenant} (intent examples revision ${at?.intentsRevision ?? 0}, knowledge base revision ${at?.knowledgeRevision ?? 0}, order flows ${at?.flowsRevision || 'unknown: no conversation service has started on this database'})`,
            );
          }
        } finally {
          chat.close();
          await system.close();
        }
      },
    );
}
