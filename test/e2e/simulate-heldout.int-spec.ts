// The held-out order tasks (eval/order-tasks-heldout.json) played against a whole stack, as the
// shipped set is in simulate.int-spec.ts. A measurement, not a gate: it prints each trial, the
// conversation of every failed one (to classify the failure) and pass^1 / pass^k per intent, and
// only checks that every task was played. Nothing in the product may be fitted to these tasks'
// wording (eval/README.md, "Order tasks"). SIMULATE_TASKS plays another task file instead (e.g. a
// few new tuning tasks); SIMULATE_TRANSCRIPTS=<file> keeps every trial's conversation, passed ones too.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@switchboard/logging';
import { openReferenceSystem, type ReferenceSystem } from '@switchboard/integration-service';
import type { ChatClient, CustomerMessage } from '../../cli/src/chat/chat.client';
import { repoRoot, sharedDataDir } from '../../cli/src/paths';
import { figuresPerIntent } from '../../cli/src/simulate/pass-k';
import { SimulationRunner } from '../../cli/src/simulate/simulation.runner';
import { parseTasks } from '../../cli/src/simulate/simulation-task';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

/** The chat client with every customer message and bot reply kept, per conversation. */
function recording(chat: ChatClient, lines: string[]): ChatClient {
  return new Proxy(chat, {
    get(target, property, receiver) {
      if (property !== 'converse') return Reflect.get(target, property, receiver) as unknown;
      return async function* (message: CustomerMessage) {
        lines.push(`  customer: ${message.text}`);
        for await (const event of target.converse(message)) {
          if (event.kind === 'reply' && event.reply) lines.push(`  bot:      ${event.reply.text}`);
          if (event.kind === 'handoff') lines.push('  (handed off to a person)');
          yield event;
        }
      };
    },
  });
}

describe('switchboard simulate: the held-out order tasks', () => {
  let t: TestStack;
  let system: ReferenceSystem;

  beforeAll(async () => {
    t = await startTestStack();
    const quiet = createLogger('test', 'error', new Writable({ write: (_c, _e, done) => done() }));
    system = await openReferenceSystem(
      { databaseUrl: t.databaseUrl, dataDir: path.join(sharedDataDir, 'tau-retail'), createDatabase: false },
      quiet,
    );
  }, 180_000);

  afterAll(async () => {
    await system?.close();
    await t?.close();
  });

  it('plays every held-out task and prints pass^1 and pass^k per intent', async () => {
    const repeat = Number(process.env.SIMULATE_REPEAT ?? '1');
    const file = path.resolve(repoRoot, process.env.SIMULATE_TASKS ?? 'eval/order-tasks-heldout.json');
    const tasks = parseTasks(readFileSync(file, 'utf8'));
    const transcripts = process.env.SIMULATE_TRANSCRIPTS;
    if (transcripts) writeFileSync(transcripts, '');
    const lines: string[] = [];
    const out = (text: string) => void process.stdout.write(`${text}\n`);
    const results = await new SimulationRunner(recording(t.chat, lines), system).run(tasks, {
      tenantId: DEMO_TENANT,
      repeat,
      onTrial: (r) => {
        out(`${r.passed ? 'pass' : 'FAIL'}  ${r.taskId} #${r.trial + 1} (${r.turns} turns)${r.reason ? `: ${r.reason}` : ''}`);
        if (!r.passed) out(lines.join('\n'));
        if (transcripts) appendFileSync(transcripts, `${r.passed ? 'pass' : 'FAIL'}  ${r.taskId} #${r.trial + 1}\n${lines.join('\n')}\n`);
        lines.length = 0;
      },
    });
    out(`\n${'intent'.padEnd(22)} tasks  pass^1  pass^${repeat}`);
    for (const f of figuresPerIntent(results, repeat))
      out(
        `${f.intent.padEnd(22)} ${String(f.tasks).padStart(5)}  ${f.passAt1.toFixed(2).padStart(6)}  ${f.passAtK.toFixed(2).padStart(6)}`,
      );
    expect(new Set(results.map((r) => r.taskId))).toEqual(new Set(tasks.map((task) => task.id)));
  }, 3_600_000);
});
