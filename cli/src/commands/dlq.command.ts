// `switchboard dlq list|show|replay`: the messages consumers gave up on (`<topic>.dlq`, with the
// reason the consumer gave), so an operator can recover once the cause is fixed. Replay sends a
// dead letter back to its original topic with the same envelope: the group that failed handles it
// again, groups that had handled it skip it by its message id. `show` (which prints the payload) and
// `replay` are audited per message in its tenant's audit log (audit.events.v1).
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Command } from 'commander';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { AuditActorSchema, AuditEventSchema, AuditResourceSchema, create, deadLetterTopicOf, Topics } from '@switchboard/contracts';
import { Header, type KafkaBus } from '@switchboard/messaging';
import { withBus } from './bus';
import { defaults } from './infra';

export interface DeadLetter {
  /** `<original topic>@<partition>:<offset>` in its dead-letter topic: what `show` and `replay` take. */
  id: string;
  /** The logical topic it was first published to. */
  topic: string;
  tenantId: string;
  messageId: string;
  type: string;
  /** The consumer group that gave up, and why. */
  group: string;
  reason: string;
  deadLetteredAt: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

export interface DeadLetterFilter {
  topic?: string;
  tenant?: string;
}

const DLQ_SUFFIX = deadLetterTopicOf('');

const header = (headers: IHeaders, name: string) => {
  const value = headers[name];
  return value === undefined ? '' : (Array.isArray(value) ? value[0] : value).toString();
};

/** Parses `<topic>@<partition>:<offset>`; a clear error names what is wrong. */
export function parseDeadLetterId(id: string): { topic: string; partition: number; offset: string } {
  const match = /^([A-Za-z0-9._-]+)@(\d+):(\d+)$/.exec(id);
  if (!match) throw new Error(`dead letter id "${id}" is not <topic>@<partition>:<offset> (as "switchboard dlq list" prints it)`);
  return { topic: match[1], partition: Number(match[2]), offset: match[3] };
}

/** Reads the dead-letter topics of one Kafka namespace from the start to their current end. */
export async function readDeadLetters(brokers: string[], namespace: string, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const kafka = new Kafka({ clientId: 'switchboard-dlq', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${namespace}cli.dlq.${randomUUID()}`;
  try {
    const wanted = filter.topic
      ? [`${namespace}${deadLetterTopicOf(filter.topic)}`]
      : (await admin.listTopics()).filter((t) => t.startsWith(namespace) && t.endsWith(DLQ_SUFFIX));
    // What to read up to: the end of each partition as it is now.
    const ends = new Map<string, bigint>();
    for (const topic of wanted) {
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => {
        throw new Error(
          `no dead-letter topic ${topic}: is --topic a topic name (e.g. ${Topics.inbound.name}) and --namespace the stack's?`,
        );
      });
      for (const p of offsets) if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
    if (ends.size === 0) return [];

    const letters: DeadLetter[] = [];
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('reading the dead-letter topics took over 60 s')), 60_000);
        consumer
          .run({
            eachMessage: async ({ topic, partition, message }) => {
              const end = ends.get(`${topic}/${partition}`);
              if (end === undefined) return;
              const topicName = topic.slice(namespace.length, -DLQ_SUFFIX.length);
              letters.push({
                id: `${topicName}@${partition}:${message.offset}`,
                topic: topicName,
                tenantId: header(message.headers ?? {}, Header.tenantId),
                messageId: header(message.headers ?? {}, Header.messageId),
                type: header(message.headers ?? {}, Header.type),
                group: header(message.headers ?? {}, Header.deadLetterGroup),
                reason: header(message.headers ?? {}, Header.deadLetterReason),
                deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
                key: message.key,
                value: message.value,
                headers: message.headers ?? {},
              });
              if (BigInt(message.offset) + 1n >= end) ends.delete(`${topic}/${partition}`);
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return letters.filter((l) => !filter.tenant || l.tenantId === filter.tenant);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Sends a dead letter back to its original topic: same key, value and envelope, minus the reason. */
export async function replayDeadLetter(bus: KafkaBus, letter: DeadLetter): Promise<void> {
  const headers: IHeaders = {};
  const dropped = new Set<string>([Header.deadLetterReason, Header.deadLetterGroup, Header.deadLetterOffset]);
  for (const [name, value] of Object.entries(letter.headers)) if (!dropped.has(name) && value !== undefined) headers[name] = value;
  await bus.send(letter.topic, letter.key?.toString() ?? '', letter.value?.toString() ?? '', headers);
}

/** One audit event in the dead letter's tenant: who (the operator's login) did what to which message. */
async function audit(bus: KafkaBus, letter: DeadLetter, action: 'dlq.show' | 'dlq.replay'): Promise<void> {
  if (!letter.tenantId) return; // no envelope, no tenant to audit under; the reason says why
  await bus.publish(
    Topics.auditEvents,
    create(AuditEventSchema, {
      tenantId: letter.tenantId,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: create(AuditActorSchema, { kind: 'system', id: `cli:${userInfo().username}` }),
      action,
      resource: create(AuditResourceSchema, { type: 'dead_letter', id: letter.id }),
      outcome: 'ok',
      detail: '',
    }),
  );
}

interface CommonOptions {
  namespace: string;
  topic?: string;
  tenant?: string;
}

const withCommon = (command: Command) =>
  command
    .option('--namespace <prefix>', 'Kafka topic prefix of the stack (KAFKA_NAMESPACE)', process.env.KAFKA_NAMESPACE ?? '')
    .option('--topic <name>', `only this original topic, e.g. ${Topics.inbound.name}`)
    .option('--tenant <id>', "only this tenant's dead letters");

const brokers = () => defaults.kafkaBrokers.split(',');

async function findOne(namespace: string, id: string): Promise<DeadLetter> {
  const { topic } = parseDeadLetterId(id);
  const letter = (await readDeadLetters(brokers(), namespace, { topic })).find((l) => l.id === id);
  if (!letter) throw new Error(`no dead letter ${id} (run "switchboard dlq list --topic ${topic}")`);
  return letter;
}

export function dlqCommand(): Command {
  const dlq = new Command('dlq').description(
    'dead letters: messages a consumer gave up on, with the reason; list, show, replay after fixing the cause',
  );
  withCommon(dlq.command('list'))
    .description('one line per dead letter: id, tenant, consumer group, when, reason (no payload)')
    .option('--json', 'one JSON object per line')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const letters = await readDeadLetters(brokers(), options.namespace, options);
      for (const l of letters) {
        const line = {
          id: l.id,
          tenantId: l.tenantId,
          group: l.group,
          type: l.type,
          messageId: l.messageId,
          deadLetteredAt: l.deadLetteredAt,
          reason: l.reason,
        };
        console.log(
          options.json ? JSON.stringify(line) : `${l.id}  tenant ${l.tenantId || '?'}  ${l.group}  ${l.deadLetteredAt}  ${l.reason}`,
        );
      }
      if (!options.json) console.log(`${letters.length} dead letter(s)`);
    });
  dlq
    .command('show')
    .description('one dead letter in full: envelope, reason and payload (audited in its tenant)')
    .argument('<id>', 'as "dlq list" prints it: <topic>@<partition>:<offset>')
    .option('--namespace <prefix>', 'Kafka topic prefix of the stack (KAFKA_NAMESPACE)', process.env.KAFKA_NAMESPACE ?? '')
    .action(async (id: string, options: { namespace: string }) => {
      const letter = await findOne(options.namespace, id);
      await withBus({ namespace: options.namespace }, (bus) => audit(bus, letter, 'dlq.show'));
      const headers = Object.fromEntries(Object.keys(letter.headers).map((name) => [name, header(letter.headers, name)]));
      console.log(
        JSON.stringify(
          { id: letter.id, topic: letter.topic, key: letter.key?.toString() ?? null, headers, payload: letter.value?.toString() ?? null },
          null,
          2,
        ),
      );
    });
  withCommon(dlq.command('replay'))
    .description(
      'send dead letters back to their original topic (audited); the failed consumer group handles them again, the others skip them',
    )
    .argument('[ids...]', 'dead letters to replay, as "dlq list" prints them')
    .option('--all', 'every dead letter matching --topic and --tenant')
    .action(async (ids: string[], options: CommonOptions & { all?: boolean }) => {
      if (ids.length === 0 && !options.all)
        throw new Error(
          'name the dead letters to replay (ids from "switchboard dlq list"), or pass --all (with --topic/--tenant to narrow it)',
        );
      if (ids.length > 0 && options.all) throw new Error('pass either ids or --all, not both');
      const letters = options.all
        ? await readDeadLetters(brokers(), options.namespace, options)
        : await Promise.all(ids.map((id) => findOne(options.namespace, id)));
      await withBus({ namespace: options.namespace }, async (bus) => {
        for (const letter of letters) {
          await replayDeadLetter(bus, letter);
          await audit(bus, letter, 'dlq.replay');
          console.log(`replayed ${letter.id} to ${letter.topic}`);
        }
      });
      console.log(`${letters.length} dead letter(s) replayed`);
    });
  return dlq;
}
