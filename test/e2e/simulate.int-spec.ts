// `switchboard simulate` against a whole stack: scripted customers over gRPC, scored by the order
// system's end state. A control task whose expectation is wrong must fail, so a pass means the
// conversation really produced the reference end state. Then the shipped task set is played and
// its figures printed (SIMULATE_REPEAT trials per task, default 1).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@switchboard/logging';
import { openReferenceSystem, type ReferenceSystem } from '@switchboard/integration-service';
import { program } from '../../cli/src/main';
import { repoRoot, sharedDataDir } from '../../cli/src/paths';
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

  it('plays the shipped task set and prints pass^1 and pass^k per intent', async () => {
    const repeat = process.env.SIMULATE_REPEAT ?? '1';
    const file = path.join(repoRoot, 'eval', 'order-tasks.json');
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
        repeat,
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
    const intents = new Set(parseTasks(readFileSync(file, 'utf8')).map((task) => task.intent));
    for (const intent of intents) expect(printed.join('\n')).toMatch(new RegExp(`^${intent} +\\d+ +[01]\\.\\d\\d +[01]\\.\\d\\d$`, 'm'));
  }, 3_600_000);
});
