// `switchboard privacy erase|retention`: the right to erasure and retention periods, over Kafka like
// the gateway's /v1/privacy API (the stack must be running). `erase` publishes one erasure command
// and prints what each service reports it removed and kept.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import Redis from 'ioredis';
import {
  collectReports,
  create,
  describeViolations,
  ErasureCommandSchema,
  GetRetentionPolicyRequestSchema,
  PutRetentionPolicyRequestSchema,
  REPORTING_SERVICES,
  Rpcs,
  Topics,
  type CollectedReports,
  type ErasureCommand,
  type ErasureReport,
  type RetentionPolicy,
} from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import { KafkaBus, RedisDedupeStore } from '@switchboard/messaging';
import { withRpc } from './bus';
import { defaults } from './infra';

/** Every service that holds customer data, and so reports on every erasure. */
export type ErasureResult = CollectedReports & { requestId: string };

export function privacyCommand(): Command {
  const privacy = new Command('privacy').description(
    `erase a customer's data from every service, and set how long a tenant's conversations are kept (over Kafka at KAFKA_BROKERS, default ${defaults.kafkaBrokers}; the stack must be running)`,
  );

  privacy
    .command('erase')
    .description(
      'erase everything Switchboard holds about one customer (right to erasure, GDPR art. 17 / PIPL art. 47) and print what each service removed',
    )
    .requiredOption('-t, --tenant <id>', 'the tenant the customer belongs to')
    .requiredOption('-c, --customer <id>', "the customer's id as the channel sends it (customer_id in chat.v1)")
    .option('--timeout <seconds>', 'how long to wait for every service to report', seconds, 30)
    .option('--json', 'print the result as JSON instead of a table')
    .addHelpText(
      'after',
      `
What happens: one command goes out on Kafka (privacy.erasure.v1). The conversation, ticketing,
integration and gateway services each delete what they hold about the customer (conversations,
messages, dialogue state, tickets and notes, cached order-system reads, rate-limit windows) and
report back; this command prints those reports. Erasing is irreversible and safe to repeat: a second
run reports zeros. The audit log keeps ids and action names (no content), and Kafka topics keep
copies until their retention: see docs/privacy.md.

Exit code 0 when every service reported, 1 when some did not within --timeout (they still act when
they come back; run the command again later to confirm).

Examples:
  switchboard privacy erase --tenant demo --customer cust-42
  switchboard privacy erase --tenant demo --customer cust-42 --timeout 60 --json`,
    )
    .action(async (options: { tenant: string; customer: string; timeout: number; json?: boolean }) => {
      const command = create(ErasureCommandSchema, {
        tenantId: options.tenant,
        requestId: randomUUID(),
        customerId: options.customer,
        reason: 'customer_request',
        requestedBy: `cli:${process.env.USER ?? 'operator'}`.slice(0, 128),
        requestedAt: new Date().toISOString(),
      });
      const violations = Topics.erasureCommands.validate(command);
      if (violations.length > 0)
        throw new Error(describeViolations(violations).replace('tenantId', '--tenant').replace('customerId', '--customer'));
      const result = await eraseOverKafka(command, options.timeout * 1000);
      console.log(options.json ? JSON.stringify(result, null, 2) : formatErasure(result));
      if (!result.complete) process.exitCode = 1;
    });

  privacy
    .command('retention')
    .description("show or set a tenant's retention periods; without --conversation-days or --attachment-days it only shows them")
    .requiredOption('-t, --tenant <id>', 'tenant id')
    .option(
      '--conversation-days <n>',
      'erase conversations (with their messages, tickets and notes) this many days after their last message; 0 keeps them',
      days,
    )
    .option('--attachment-days <n>', 'remove attachment references from customer messages older than this many days; 0 keeps them', days)
    .addHelpText(
      'after',
      `
The conversation service enforces the periods once an hour (RETENTION_SWEEP_MS): expired
conversations are erased in every service the same way "privacy erase" erases a customer.
An option left out keeps its current value.

Examples:
  switchboard privacy retention --tenant demo
  switchboard privacy retention --tenant demo --conversation-days 365 --attachment-days 30`,
    )
    .action(async (options: { tenant: string; conversationDays?: number; attachmentDays?: number }) => {
      const policy = await withRpc({}, async (rpc) => {
        const current = await rpc.request(Rpcs.retentionGet, create(GetRetentionPolicyRequestSchema, { tenantId: options.tenant }), {
          timeoutMs: 15_000,
        });
        if (options.conversationDays === undefined && options.attachmentDays === undefined) return current;
        return rpc.request(
          Rpcs.retentionPut,
          create(PutRetentionPolicyRequestSchema, {
            tenantId: options.tenant,
            policy: {
              tenantId: options.tenant,
              conversationDays: options.conversationDays ?? current.conversationDays,
              attachmentDays: options.attachmentDays ?? current.attachmentDays,
            },
          }),
          { timeoutMs: 15_000 },
        );
      });
      console.log(formatRetention(policy));
    });

  return privacy;
}

/** Publishes the command and collects the services' reports until all came or `timeoutMs` passed. */
async function eraseOverKafka(command: ErasureCommand, timeoutMs: number): Promise<ErasureResult> {
  // Operators read our own output, not kafkajs's; errors still surface as exceptions.
  const logger = createLogger('cli', 'error', new Writable({ write: (_c, _e, done) => done() }));
  const redis = new Redis(defaults.redisUrl, { keyPrefix: defaults.redisNamespace, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const instanceId = randomBytes(4).toString('hex');
  const bus = new KafkaBus({
    service: 'cli',
    instanceId,
    brokers: defaults.kafkaBrokers.split(','),
    namespace: process.env.KAFKA_NAMESPACE ?? '',
    logger,
    dedupe: new RedisDedupeStore(redis),
  });
  const reports = new Map<string, ErasureReport>();
  try {
    await bus.connect();
    await bus.ensureTopics([Topics.erasureCommands, Topics.erasureReports]);
    let allIn: () => void = () => undefined;
    const everyone = new Promise<void>((resolve) => (allIn = resolve));
    // A group of our own read from the start of the topic: a report cannot come before we listen.
    await bus.subscribe(
      Topics.erasureReports,
      async ({ message }) => {
        if (message.requestId !== command.requestId || message.tenantId !== command.tenantId) return;
        reports.set(message.service, message);
        if (REPORTING_SERVICES.every((s) => reports.has(s))) allIn();
      },
      { groupId: `cli.privacy.${instanceId}`, fromBeginning: true, concurrency: Topics.erasureReports.partitions },
    );
    await bus.publish(Topics.erasureCommands, command);
    // Unref'd: once every report is in, the command ends instead of sitting out the timeout.
    await Promise.race([everyone, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  } finally {
    await bus.disconnect();
    redis.disconnect();
  }
  return collect(command.requestId, [...reports.values()]);
}

export function collect(requestId: string, reports: ErasureReport[]): ErasureResult {
  return { requestId, ...collectReports(reports) };
}

/** The reports as a table of removed counts, then what each service kept and why. */
export function formatErasure(result: ErasureResult): string {
  const rows = Object.entries(result.reports).flatMap(([service, r]) =>
    Object.entries(r.removed).map(([store, count]) => [service, store, String(count)]),
  );
  const header = ['SERVICE', 'REMOVED FROM', 'COUNT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const kept = Object.entries(result.reports).flatMap(([service, r]) => r.kept.map((k) => `  ${service}: ${k}`));
  return [
    `Erasure ${result.requestId}: ${result.complete ? 'every service reported' : `incomplete, no report yet from ${result.missing.join(', ')}`}`,
    '',
    line(header),
    ...rows.map(line),
    ...(kept.length > 0 ? ['', 'Kept on purpose:', ...kept] : []),
  ].join('\n');
}

export function formatRetention(policy: RetentionPolicy): string {
  const period = (n: number) => (n === 0 ? 'kept for ever' : `kept ${n} day${n === 1 ? '' : 's'}`);
  return [
    `Tenant "${policy.tenantId}":`,
    `  conversations (messages, tickets, notes): ${period(policy.conversationDays)}${policy.conversationDays > 0 ? ' after their last message' : ''}`,
    `  attachment references in customer messages: ${period(policy.attachmentDays)}`,
  ].join('\n');
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 600) throw new InvalidArgumentError('must be a number of seconds from 1 to 600');
  return n;
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new InvalidArgumentError('must be a whole number of days from 0 (keep for ever) to 3650');
  return n;
}
