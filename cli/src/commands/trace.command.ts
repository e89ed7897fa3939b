// `switchboard trace <turn id>`: where a sampled turn spent its time. Every service records, for a
// sampled turn (TRACE_SAMPLE_RATE at the gateway), one span per Kafka message it handled; this
// prints them as a tree: how long each message waited in Kafka before its consumer began, and how
// long the consumer took. Spans are kept an hour, under the turn's tenant, and hold no content.
import { Command } from 'commander';
import Redis from 'ioredis';
import { readTrace, type Span } from '@switchboard/messaging';
import { defaults } from './infra';

const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/** The spans as an indented tree under the turn's first message, times in ms from its publishing. */
export function renderTrace(spans: Span[]): string[] {
  if (spans.length === 0) return [];
  const byId = new Map(spans.map((s) => [s.messageId, s]));
  const root = spans.find((s) => !s.causationId || !byId.has(s.causationId)) ?? spans[0];
  const children = (parent: Span) => spans.filter((s) => s !== parent && s.causationId === parent.messageId);
  const last = spans.reduce((end, s) => (s.endedAt > end ? s.endedAt : end), root.endedAt);
  const lines = [
    `trace ${root.traceId}: ${spans.length} messages handled, ${ms(root.publishedAt, last)} ms from the turn's publishing to the last one's end`,
    `${'start'.padStart(7)} ${'waited'.padStart(7)} ${'took'.padStart(7)}  service        message`,
  ];
  const visit = (span: Span, depth: number, seen: Set<Span>) => {
    if (seen.has(span)) return;
    seen.add(span);
    const outcome = span.outcome === 'ok' ? '' : ` (${span.outcome})`;
    lines.push(
      `${`+${ms(root.publishedAt, span.startedAt)}`.padStart(7)} ${String(ms(span.publishedAt, span.startedAt)).padStart(7)} ${String(ms(span.startedAt, span.endedAt)).padStart(7)}  ${span.service.padEnd(14)} ${'  '.repeat(depth)}${span.topic}${outcome}`,
    );
    for (const child of children(span)) visit(child, depth + 1, seen);
  };
  const seen = new Set<Span>();
  visit(root, 0, seen);
  // Spans whose parent was not recorded (not sampled by an older version, or expired) still show.
  for (const span of spans) visit(span, 0, seen);
  return lines;
}

export function traceCommand(): Command {
  return new Command('trace')
    .description('where a sampled turn spent its time: every Kafka message of the turn, how long it waited and how long its consumer took')
    .argument('<turn-id>', 'the turn id (Converse\'s "accepted" event, or a reply\'s turn id)')
    .requiredOption('--tenant <id>', "the turn's tenant")
    .option('--redis-url <url>', 'Redis of the stack', defaults.redisUrl)
    .option('--redis-namespace <prefix>', "the stack's REDIS_NAMESPACE", defaults.redisNamespace)
    .addHelpText('after', '\nOnly sampled turns are recorded (TRACE_SAMPLE_RATE, default 0.01 of turns, set on the gateway), for an hour.')
    .action(async (turnId: string, options: { tenant: string; redisUrl: string; redisNamespace: string }) => {
      const redis = new Redis(options.redisUrl, { keyPrefix: options.redisNamespace, lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        const lines = renderTrace(await readTrace(redis, options.tenant, turnId));
        if (lines.length === 0) {
          console.error(
            `no trace for turn ${turnId} of tenant ${options.tenant}: it was not sampled (TRACE_SAMPLE_RATE on the gateway), is more than an hour old, or the id or tenant is wrong`,
          );
          process.exitCode = 1;
          return;
        }
        for (const line of lines) console.log(line);
      } finally {
        redis.disconnect();
      }
    });
}
