// `switchboard analytics ask|eval`: ask the analytics service a question about the KPIs (over
// Kafka request-reply, like the gateway does), or measure the question → query step alone.
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { create, AskRequestSchema, Rpcs, Topics } from '@switchboard/contracts';
import { simulateHistory } from '@switchboard/analytics-service';
import { withBus, withRpc } from './bus';
import { evaluateQuestions, readQuestions } from './analytics-eval';

function isoTime(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO time such as 2026-11-18T10:00:00Z');
  return new Date(value).toISOString();
}

export function analyticsCommand(): Command {
  const command = new Command('analytics').description('KPIs from the event stream: ask questions, measure the question parser');

  command
    .command('ask')
    .description('answer a question about the KPIs (English or Chinese) with a sentence, rows and a chart')
    .argument('<question>')
    .requiredOption('--tenant <id>', 'tenant whose facts to query')
    .option('--now <iso>', 'the time "today", "last week" … are relative to', isoTime)
    .option('--json', 'print one JSON object {query, rows, answer, chart, definition}')
    .option('--chart <file.svg>', 'write the chart (when there is one) as SVG')
    .option('--namespace <ns>', 'Kafka namespace of the stack')
    .action(async (question: string, options: { tenant: string; now?: string; json?: boolean; chart?: string; namespace?: string }) => {
      const result = await withRpc({ namespace: options.namespace }, (rpc) =>
        rpc.request(Rpcs.analyticsAsk, create(AskRequestSchema, { tenantId: options.tenant, question, now: options.now ?? '' }), {
          timeoutMs: 20_000,
        }),
      );
      const chart = result.chartJson ? { option: JSON.parse(result.chartJson) as unknown, svg: result.chartSvg } : null;
      if (options.chart && chart) writeFileSync(options.chart, chart.svg);
      if (options.json) {
        console.log(
          JSON.stringify({
            query: result.queryJson ? (JSON.parse(result.queryJson) as unknown) : null,
            rows: result.rowsJson ? (JSON.parse(result.rowsJson) as unknown) : [],
            answer: result.answer,
            chart,
            definition: result.definition,
          }),
        );
        return;
      }
      console.log(result.answer);
      if (!result.answered) return;
      console.log(`query: ${result.queryJson}`);
      console.log(`definition: ${result.definition}`);
      const rows = JSON.parse(result.rowsJson) as Array<Record<string, unknown>>;
      if (rows.length > 0) console.table(rows);
      if (options.chart) console.log(chart ? `chart written to ${options.chart}` : 'no chart: a single number');
    });

  command
    .command('eval')
    .description('exact-match accuracy of the question → query step over JSON lines {"question", "expected"} (no stack needed)')
    .requiredOption('--questions <file.jsonl>')
    .option('--now <iso>', 'the time the questions are relative to (default: now)', isoTime)
    .option('--json', 'print one line {"accuracy": <0-1>, "n": <count>}')
    .action((options: { questions: string; now?: string; json?: boolean }) => {
      const report = evaluateQuestions(readQuestions(options.questions), options.now ? new Date(options.now) : new Date());
      if (options.json) {
        console.log(JSON.stringify({ accuracy: report.accuracy, n: report.n }));
        return;
      }
      for (const miss of report.misses)
        console.log(
          `miss line ${miss.line}: ${miss.question}\n  expected ${JSON.stringify(miss.expected)}\n  got      ${JSON.stringify(miss.got)}`,
        );
      console.log(`accuracy ${(report.accuracy * 100).toFixed(1)}% (${report.n - report.misses.length}/${report.n})`);
    });

  command
    .command('simulate')
    .description(
      'publish a realistic history (seasonality, intent mix, hand-offs, agents, ratings, reopens) on conversation.events.v1 and ticket.events.v1',
    )
    .requiredOption('--tenant <id>')
    .requiredOption('--days <n>', 'days of history ending today', positiveInt)
    .option('--per-day <n>', 'conversations on an average weekday', positiveInt, 200)
    .option('--seed <n>', 'makes the numbers reproducible', positiveInt, 1)
    .option('--now <iso>', 'when the history ends (default: now)', isoTime)
    .option('--namespace <ns>', 'Kafka namespace of the stack')
    .action(async (options: { tenant: string; days: number; perDay: number; seed: number; now?: string; namespace?: string }) => {
      const started = Date.now();
      const counts = { conversation: 0, ticket: 0 };
      await withBus({ namespace: options.namespace }, async (bus) => {
        for (const e of simulateHistory({
          tenantId: options.tenant,
          days: options.days,
          perDay: options.perDay,
          seed: options.seed,
          now: options.now ? new Date(options.now) : new Date(),
        })) {
          if (e.topic === 'conversation') await bus.publish(Topics.conversationEvents, e.event, { conversationId: e.event.conversationId });
          else await bus.publish(Topics.ticketEvents, e.event);
          counts[e.topic] += 1;
        }
      });
      console.log(
        `published ${counts.conversation} conversation events and ${counts.ticket} ticket events for tenant ${options.tenant} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    });

  return command;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}
