// `switchboard simulate` against a whole stack: scripted customers over gRPC, scored by the order
// system's end state. A control task whose expectation is wrong must fail, so a pass means the
// conversation really produced the reference end state. Then the shipped task set is played through
// the command and its figures printed (with SIMULATE_REPEAT, every task that many times; without,
// the first task of each intent, once), and the held-out set
// (eval/order-tasks-heldout.json) with the conversation of every failed trial. Nothing in the
// product may be fitted to the held-out tasks' wording (eval/README.md, "Order tasks").
// SIMULATE_TASKS plays another file in its place; SIMULATE_TRANSCRIPTS=<file> keeps every trial's
// conversation, passed ones too.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@switchboard/logging';
import { openReferenceSystem, type ReferenceSystem } from '@switchboard/integration-service';
import type { ChatClient, CustomerMessage } from '../../cli/src/chat/chat.client';
import { program } from '../../cli/src/main';
import { repoRoot, sharedDataDir } from '../../cli/src/paths';
import { figuresPerIntent } from '../../cli/src/simulate/pass-k';
import { SimulationRunner } from '../../cli/src/simulate/simulation.runner';
import { parseTasks } from '../../cli/src/simulate/simulation-task';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

const RETURN_PET_BED = {
  id: 'return-pet-bed',
  intent: 'return_item',
  userId: 'omar_lopez_3107',
  opening: ['I want to return the pet bed from order #W7273336'],
  replies: [
    { when: 'reply yes or no', say: ['yes'] },
    { when: 'email address on your account', say: ['omar.lopez1868@example.com'] },
  ],
  expected: [
    {
      operation: 'return_delivered_order_items',
      arguments: { order_id: '#W7273336', item_ids: ['6857426243'], payment_method_id: 'paypal_1530316' },
    },
  ],
};

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

describe('switchboard simulate', () => {
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

  it('passes a conversation that reaches the reference end state and fails one that does not', async () => {
    const tasks = parseTasks(JSON.stringify([RETURN_PET_BED, { ...RETURN_PET_BED, id: 'expects-no-change', expected: [] }]));
    const results = await new SimulationRunner(t.chat, system).run(tasks, { tenantId: DEMO_TENANT, repeat: 1 });
    expect(results).toEqual([
      expect.objectContaining({ taskId: 'return-pet-bed', passed: true }),
      expect.objectContaining({
        taskId: 'expects-no-change',
        passed: false,
        reason: expect.stringMatching(
          /^end state differs in order #W7273336; the bot last said "Done\. Order #W7273336 is now return requested/,
        ),
      }),
    ]);
  }, 300_000);

  // A measurement run (SIMULATE_REPEAT set, the figures in eval/README.md) plays every shipped task;
  // otherwise, as in CI, the first task of each intent, and each must pass: the command and its
  // figures are tested, and the held-out set below is the behaviour's gate.
  it('plays the shipped task set through the command and prints pass^1 and pass^k per intent', async () => {
    const repeat = process.env.SIMULATE_REPEAT;
    const shipped = parseTasks(readFileSync(path.join(repoRoot, 'eval', 'order-tasks.json'), 'utf8'));
    const tasks = repeat ? shipped : shipped.filter((task, i) => shipped.findIndex((other) => other.intent === task.intent) === i);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simulate-')), 'tasks.json');
    writeFileSync(file, JSON.stringify(tasks));
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    try {
      await program().parseAsync([
        'node',
        'switchboard',
        'simulate',
        '--tasks',
        file,
        '--repeat',
        repeat ?? '1',
        '--address',
        t.stack.grpcAddress,
        '--key',
        t.apiKey,
        '--database-url',
        t.databaseUrl,
      ]);
    } finally {
      log.mockRestore();
    }
    process.stdout.write(`${printed.join('\n')}\n`);
    const intents = new Set(tasks.map((task) => task.intent));
    for (const intent of intents) {
      const line = new RegExp(`^${intent} +\\d+ +([01]\\.\\d\\d) +[01]\\.\\d\\d$`, 'm').exec(printed.join('\n'));
      expect(line).not.toBeNull();
      if (!repeat) expect(`${intent} ${line![1]}`).toBe(`${intent} 1.00`);
    }
  }, 3_600_000);

  it('plays the held-out order tasks, prints each failed conversation, and passes at least 33 of 35', async () => {
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
    // 24 of 35 before the fixes its first run led to, 34 after (eval/README.md): a floor, not a target,
    // so a change that loses held-out tasks fails here. SIMULATE_TASKS plays another file, ungated.
    if (!process.env.SIMULATE_TASKS) expect(results.filter((r) => r.passed).length).toBeGreaterThanOrEqual(33 * repeat);
  }, 3_600_000);
});
