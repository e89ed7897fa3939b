// `switchboard tools reset|call`: the reference order/CRM system's operations, run directly on the
// database as the integration service runs them, but with operator authority. For trying the
// tools, scripting evaluations, and putting a tenant's shop back to its pristine tau-retail data.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { createLogger } from '@switchboard/logging';
import { describeTools, OPERATOR, openReferenceSystem, type ReferenceSystem, type ToolOutcome } from '@switchboard/integration-service';
import { sharedDataDir } from '../paths';
import { defaults } from './infra';

/** The gateway's demo tenant, which the integration service seeds by default. */
const DEMO_TENANT = 'demo';
const LINE_EXAMPLE = '{"operation":"get_order_details","arguments":{"order_id":"#W5918442"}}';

export function toolsCommand(): Command {
  const tools = new Command('tools').description(
    `the reference order/CRM system (tau-bench retail) and its operations, directly on the database (DATABASE_URL, default ${defaults.databaseUrl})`,
  );

  tools
    .command('reset')
    .description(
      "replace a tenant's users, orders and products with the pristine tau-retail data (REFERENCE_DATA_DIR, default ../shared/data/tau-retail)",
    )
    .option('-t, --tenant <id>', 'tenant id', DEMO_TENANT)
    .action(async (options: { tenant: string }) => {
      const counts = await withReferenceSystem((system) => system.seeder.seedReferenceData(options.tenant));
      console.log(
        `Reset tenant "${options.tenant}" from ${referenceDataDir()}: ${counts.users} users, ${counts.orders} orders, ${counts.products} products.`,
      );
    });

  tools
    .command('call')
    .description("run one operation and print its JSON result; or, with '-', one operation per stdin line")
    .argument('<operation>', "an operation name (see below), or '-' to read JSON lines from stdin")
    .argument('[arguments]', "the operation's arguments as a JSON object", '{}')
    .option('-t, --tenant <id>', 'tenant id', DEMO_TENANT)
    .addHelpText(
      'after',
      `
Runs as an operator: the customer identity and confirmation rules the integration service applies
to conversations count as satisfied, so any customer's records can be read and changed.

A refused operation prints its reason on stderr and exits with 1, e.g. "Error: order not found".

With '-', each stdin line is one JSON object and gets one JSON line back on stdout:
  in:  ${LINE_EXAMPLE}
       {"operation":"reset"}   (re-seeds the tenant, as "tools reset" does)
  out: {"ok":true,"result":…}, or {"ok":false,"error":"…"} for a refusal or a malformed
       line (then the error starts "line N: ")
Blank lines are skipped; reading carries on after errors, and the exit code is 0.

Operations (* changes state):
${describeTools()
  .map((t) => `  ${t.consequential ? '*' : ' '} ${t.name}(${Object.keys(t.parameters.properties).join(', ')})`)
  .join('\n')}

Examples:
  switchboard tools call find_user_id_by_email '{"email":"noah.brown7922@example.com"}'
  switchboard tools call cancel_pending_order '{"order_id":"#W5918442","reason":"no longer needed"}'
  printf '%s\\n' '{"operation":"list_all_product_types"}' | switchboard tools call -`,
    )
    .action(async (operation: string, argumentsJson: string, options: { tenant: string }) => {
      await withReferenceSystem(async (system) => {
        if (operation === '-') return answerLines(system, options.tenant);
        const args = parseArguments(argumentsJson);
        if ((await system.seeder.counts(options.tenant)).users === 0) {
          throw new Error(
            `tenant "${options.tenant}" has no reference data; run "switchboard tools reset --tenant ${options.tenant}" first`,
          );
        }
        const outcome = await system.tools.call(options.tenant, operation, args, OPERATOR);
        if (outcome.ok) console.log(JSON.stringify(outcome.result, null, 2));
        else {
          console.error(outcome.error);
          process.exitCode = 1;
        }
      });
    });

  return tools;
}

function referenceDataDir(): string {
  return process.env.REFERENCE_DATA_DIR ?? path.join(sharedDataDir, 'tau-retail');
}

async function withReferenceSystem<T>(work: (system: ReferenceSystem) => Promise<T>): Promise<T> {
  // Operators read our output, not the migration log; failures still surface as exceptions.
  const logger = createLogger('cli', 'error', new Writable({ write: (_c, _e, done) => done() }));
  const system = await openReferenceSystem(
    { databaseUrl: defaults.databaseUrl, dataDir: referenceDataDir(), createDatabase: process.env.NODE_ENV !== 'production' },
    logger,
  );
  try {
    return await work(system);
  } finally {
    await system.close();
  }
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the arguments are not JSON (${(error as Error).message}); pass one object, such as '{"order_id":"#W5918442"}'`);
  }
}

/** Answers each stdin line in turn; only a fault such as a lost database stops it. */
async function answerLines(system: ReferenceSystem, tenantId: string): Promise<void> {
  let lineNumber = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const outcome = await answerLine(system, tenantId, line, lineNumber);
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  }
}

async function answerLine(system: ReferenceSystem, tenantId: string, line: string, lineNumber: number): Promise<ToolOutcome> {
  const malformed = (problem: string): ToolOutcome => ({ ok: false, error: `line ${lineNumber}: ${problem}` });
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return malformed(`not JSON (${(error as Error).message}); write one object per line, such as ${LINE_EXAMPLE}`);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return malformed(`expected a JSON object, such as ${LINE_EXAMPLE}`);
  const { operation, arguments: args = {}, ...rest } = request as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    return malformed(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; a line holds "operation" and "arguments"`);
  if (typeof operation !== 'string') return malformed(`"operation" must be an operation name or "reset", such as ${LINE_EXAMPLE}`);
  if (operation === 'reset') return { ok: true, result: await system.seeder.seedReferenceData(tenantId) };
  return system.tools.call(tenantId, operation, args, OPERATOR);
}
