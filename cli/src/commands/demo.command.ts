// `switchboard demo`: a support story in seven turns. Brings up a private stack (its own database,
// Kafka namespace and ports, so it never disturbs a running dev stack), teaches it the retail
// policy, talks to it over the public gRPC API, prints the transcript, and stops what it started.
// With --console it stays up afterwards, with a signed-up agent, so the hand-off can be handled in
// the web console (docs/console.md).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import { FieldCipher } from '@switchboard/crypto';
import { ChatClient, type ChatEvent } from '../chat/chat.client';
import { printTurn } from '../chat/transcript';
import { localDir, sharedDataDir } from '../paths';
import { LocalStack, WITH_CONSOLE } from '../stack/local-stack';
import { withRpc } from './bus';
import { checkDatabases, defaults, dropDatabase, kafka } from './infra';
import { ingestFile } from './kb.command';

// Yara Li is a customer in the tau-retail reference data, with two orders.
const SCRIPT = [
  'Hi! Where is my order?',
  "It's yara.li6570@example.com",
  '#W2497857',
  'And what about the other one?',
  'The luggage set from the first order is too small. How do returns work?',
  "What's the weather going to be like in Paris tomorrow?",
  'This is taking too long, can I talk to a human agent please?',
];

export function demoCommand(): Command {
  return new Command('demo')
    .description('run a scripted customer conversation through the whole stack and print the transcript')
    .option('--keep-logs', 'print where the services wrote their logs')
    .option('--console', 'afterwards, keep the stack up with an agent signed up, to handle the hand-off in the web console (Ctrl+C stops)')
    .action(async (options: { keepLogs?: boolean; console?: boolean }) => {
      const databaseUrl = new URL(defaults.databaseUrl);
      const run = randomUUID().slice(0, 8);
      // A fresh database, namespace and vector directory per run, dropped at the end.
      databaseUrl.pathname = `/switchboard_demo_${run}`;
      await checkDatabases(databaseUrl.toString(), defaults.redisUrl);
      if (!kafka('start')) throw new Error('Kafka did not start; see "deploy/kafka/kafka.sh logs".');

      const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-demo-')), 'key');
      const logDir = path.join(localDir, 'demo-logs', run);
      const stack = new LocalStack({
        env: {
          NODE_ENV: 'development',
          DATABASE_URL: databaseUrl.toString(),
          REDIS_URL: defaults.redisUrl,
          KAFKA_BROKERS: defaults.kafkaBrokers,
          KAFKA_NAMESPACE: `demo-${run}.`,
          SEED_DEMO_TENANT: 'true',
          DEMO_TENANT_KEY_FILE: keyFile,
          VECTOR_DIR: path.join(path.dirname(keyFile), 'vectors'),
        },
        portOffset: 20_000,
        logDir,
      });
      const chat = () => new ChatClient(stack.grpcAddress, readFileSync(keyFile, 'utf8').trim());
      let client: ChatClient | undefined;
      try {
        console.log('1/3 Starting the eight services and the web console…');
        await stack.startAll(WITH_CONSOLE, (service, ms) => console.log(`    ✓ ${service.padEnd(12)} ready in ${ms} ms`));
        console.log(`    Web console: http://127.0.0.1:${stack.httpPort('console')}/`);

        console.log('2/3 Teaching the demo shop its retail policy (tau-bench retail wiki.md)…');
        const { chunks } = await withRpc({ namespace: `demo-${run}.` }, (rpc) =>
          ingestFile(rpc, 'demo', 'policies', path.join(sharedDataDir, 'tau-retail', 'wiki.md')),
        );
        console.log(`    ✓ ${chunks} passages indexed\n`);

        console.log('3/3 A customer writes in (gRPC ChatGateway.Converse):\n');
        client = chat();
        let conversationId: string | undefined;
        for (const text of SCRIPT) {
          const events: ChatEvent[] = [];
          for await (const e of client.converse({
            clientMessageId: randomUUID(),
            conversationId,
            customerId: `demo-customer-${run}`,
            channel: 'web',
            locale: 'en-US',
            text,
          }))
            events.push(e);
          conversationId = events[0]?.conversationId;
          printTurn(text, events);
        }
        await showTicket(databaseUrl.toString(), conversationId!);
        if (options.keepLogs) console.log(`Service logs: ${logDir}`);
        if (options.console) await keepServingConsole(stack, readFileSync(keyFile, 'utf8').trim());
      } finally {
        client?.close();
        console.log('Stopping the demo services…');
        await stack.stopAll();
        await dropDatabase(databaseUrl.toString());
      }
    });
}

/** Signs up an agent for the demo tenant, prints how to sign in, and waits for Ctrl+C. */
async function keepServingConsole(stack: LocalStack, adminKey: string): Promise<void> {
  const password = randomBytes(9).toString('base64url');
  const res = await fetch(`http://127.0.0.1:${stack.httpPort('gateway')}/v1/users`, {
    method: 'POST',
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-agent', password: `${password}-demo`, role: 'senior_agent', displayName: 'Demo agent' }),
  });
  if (res.status !== 201) throw new Error(`signing up the demo agent: ${res.status} ${await res.text()}`);
  console.log(`The web console: http://127.0.0.1:${stack.httpPort('console')}/`);
  console.log(`  Sign in as tenant "demo", username "demo-agent", password "${password}-demo" (a senior agent).`);
  console.log('  The hand-off above waits in the inbox. Ctrl+C stops the demo.\n');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}

async function showTicket(databaseUrl: string, conversationId: string): Promise<void> {
  // Read from the ticketing schema the way an agent console will (through its API, later).
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (let i = 0; i < 50; i += 1) {
      const { rows } = await db.query<{ id: string; department: string; priority: string; status: string; summary: string }>(
        'select id, department, priority, status, summary from ticketing.tickets where conversation_id = $1',
        [conversationId],
      );
      if (rows[0]) {
        console.log(
          `Ticket ${rows[0].id} opened for the human team: ${rows[0].department}, ${rows[0].priority} priority, ${rows[0].status}`,
        );
        // Stored encrypted (the demo runs with the development key, like any unconfigured dev stack).
        const summary = FieldCipher.fromConfig({
          NODE_ENV: 'development',
          ENCRYPTION_KEYS: '',
          ENCRYPTION_KEY_CURRENT: '',
          ENCRYPTION_KEY_FILE: '',
        }).decrypt(rows[0].summary, { tenantId: 'demo', column: 'ticketing.tickets.summary', row: rows[0].id });
        console.log(`  Summary: ${summary}\n`);
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log('(No ticket appeared within 10 s.)\n');
  } finally {
    await db.end();
  }
}
