// Benchmark: KPI query times over a large synthetic fact table. Makes its own database, migrates
// the analytics schema, bulk-loads N conversations over 90 days (with tickets, agents' replies,
// ratings and repeat customers) with SQL, builds the conversations' rollups in one pass (ingestion
// keeps them row by row) and the day rollups, leaves the newest day dirty as live ingestion keeps
// it, then times every KPI over the last 30 days, ungrouped and by channel, and prints load time,
// p50/p95 per query and the schema's size on disk; `--compare` also times each query on the facts
// alone. The facts are loaded straight into Postgres, not through Kafka: this measures the
// queries, not ingestion.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { Client } from 'pg';
import {
  ANALYTICS_MIGRATIONS,
  buildKpiSql,
  METRICS,
  rebuildRollups,
  refreshKpiDays,
  runKpi,
  type KpiQuery,
} from '@switchboard/analytics-service';
import { createLogger } from '@switchboard/logging';
import { openDatabase } from '@switchboard/persistence';
import { defaults, dropDatabase } from '../commands/infra';
import { percentile } from './percentile';

const TENANT = 'bench';
const DAYS = 90;
const BATCH = 250_000;

function count(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1000) throw new InvalidArgumentError('must be a whole number of at least 1000');
  return n;
}

export function analyticsBenchCommand(): Command {
  return new Command('analytics')
    .description('KPI query times over N synthetic conversations (own database, dropped afterwards)')
    .option('-n, --conversations <n>', 'conversations to load', count, 1_000_000)
    .option('-r, --runs <n>', 'timed runs of each query', (v) => Number(v), 5)
    .option('--compare', 'also time each query on the facts alone (no day rollups)')
    .option('--keep', 'keep the database afterwards')
    .action(async (options: { conversations: number; runs: number; compare?: boolean; keep?: boolean }) => {
      const url = new URL(defaults.databaseUrl);
      url.pathname = `/switchboard_bench_${randomBytes(4).toString('hex')}`;
      const databaseUrl = url.toString();
      const log = createLogger('bench', 'error', new Writable({ write: (_c, _e, done) => done() }));
      const dataSource = await openDatabase(
        {
          url: databaseUrl,
          schema: 'analytics',
          entities: [],
          migrations: ANALYTICS_MIGRATIONS,
          createDatabase: true,
        },
        log,
      );
      await dataSource.destroy();
      const pg = new Client({ connectionString: databaseUrl });
      await pg.connect();
      const query = async (text: string, params: unknown[]) => (await pg.query(text, params)).rows as Array<Record<string, unknown>>;
      try {
        const end = new Date(Date.UTC(2026, 10, 18));
        const start = new Date(end.getTime() - DAYS * 86_400_000);
        const loadStarted = Date.now();
        for (let from = 0; from < options.conversations; from += BATCH) {
          const to = Math.min(options.conversations, from + BATCH) - 1;
          await load(pg, from, to, options.conversations, start);
          process.stderr.write(`loaded ${to + 1} conversations\n`);
        }
        await loadTickets(pg);
        const loadSeconds = (Date.now() - loadStarted) / 1000;
        // Ingestion keeps the rollups row by row; facts loaded with SQL get them in one pass.
        const rollupStarted = Date.now();
        await rebuildRollups((sql, params) => pg.query(sql, params), TENANT);
        // The one-pass rebuild rewrote every row; autovacuum would clear the old versions in time.
        await pg.query('vacuum (analyze) analytics.conversations');
        const rollupSeconds = (Date.now() - rollupStarted) / 1000;
        const daysStarted = Date.now();
        for (let remaining = true; remaining;) {
          await pg.query('begin isolation level repeatable read');
          remaining = (await refreshKpiDays(query, TENANT, 'UTC', 14)).remaining;
          await pg.query('commit');
        }
        const daysSeconds = (Date.now() - daysStarted) / 1000;
        // Live ingestion keeps today dirty: its conversations are read from the facts.
        await pg.query(`insert into analytics.kpi_dirty (tenant_id, hour) values ($1, $2::timestamptz - interval '1 hour')`, [TENANT, end]);
        await pg.query('analyze');
        const {
          rows: [size],
        } = await pg.query<{ total: string }>(
          `select pg_size_pretty(sum(pg_total_relation_size(c.oid))) as total from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'analytics' and c.relkind in ('r', 'm')`,
        );
        console.log(
          `${options.conversations} conversations over ${DAYS} days loaded in ${loadSeconds.toFixed(1)} s, conversation rollups built in ${rollupSeconds.toFixed(1)} s, day rollups in ${daysSeconds.toFixed(1)} s; schema analytics: ${size.total} on disk`,
        );
        console.log(
          `metric                      group_by   p50 ms   p95 ms   rows  source${options.compare ? '    facts alone: p50 ms   p95 ms' : ''}`,
        );
        const fromDay = new Date(end.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
        for (const metric of METRICS) {
          for (const groupBy of [[], ['channel']] as Array<KpiQuery['group_by']>) {
            const kpiQuery: KpiQuery = {
              metric,
              group_by: groupBy,
              filters: {},
              from: fromDay,
              to: end.toISOString().slice(0, 10),
              grain: null,
            };
            const times: number[] = [];
            let answer = { rows: [] as unknown[], source: '' };
            for (let i = 0; i < options.runs; i += 1) {
              const t = process.hrtime.bigint();
              await pg.query('begin isolation level repeatable read');
              answer = await runKpi(query, TENANT, kpiQuery, end, 'UTC');
              await pg.query('commit');
              times.push(Number(process.hrtime.bigint() - t) / 1e6);
            }
            let facts = '';
            if (options.compare) {
              const { sql, params } = buildKpiSql(TENANT, kpiQuery, end);
              const factTimes: number[] = [];
              let factRows: unknown[] = [];
              for (let i = 0; i < options.runs; i += 1) {
                const t = process.hrtime.bigint();
                factRows = (await pg.query(sql, params)).rows;
                factTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
              }
              facts = `${ms(factTimes, 50).padStart(27)} ${ms(factTimes, 95).padStart(8)}   ${largestDifference(answer.rows, factRows)}`;
            }
            console.log(
              `${metric.padEnd(27)} ${(groupBy[0] ?? '-').padEnd(9)} ${ms(times, 50).padStart(7)} ${ms(times, 95).padStart(8)} ${String(answer.rows.length).padStart(6)}  ${answer.source.padEnd(8)}${facts}`,
            );
          }
        }
      } finally {
        await pg.end();
        if (options.keep) console.log(`kept ${databaseUrl}`);
        else await dropDatabase(databaseUrl);
      }
    });
}

/** The largest relative difference between two answers' numbers, or what differs besides numbers. */
function largestDifference(a: unknown[], b: unknown[]): string {
  if (a.length !== b.length) return `rows ${a.length} vs ${b.length}`;
  let largest = 0;
  for (let i = 0; i < a.length; i += 1) {
    const [x, y] = [a[i] as Record<string, unknown>, b[i] as Record<string, unknown>];
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const [u, v] = [x[key], y[key]];
      if (u === v || (u === null && v === null)) continue;
      const [nu, nv] = [Number(u), Number(v)];
      if (u === null || v === null || Number.isNaN(nu) || Number.isNaN(nv)) return `${key}: ${String(u)} vs ${String(v)}`;
      if (nu !== nv) largest = Math.max(largest, Math.abs(nu - nv) / Math.max(Math.abs(nu), Math.abs(nv)));
    }
  }
  return `${(largest * 100).toFixed(2)}%`;
}

function ms(times: number[], p: number): string {
  return percentile(
    [...times].sort((a, b) => a - b),
    p,
  ).toFixed(0);
}

/** Conversations from..to (inclusive) and their ratings; they start in the order of their numbers, as facts arrive. */
async function load(pg: Client, from: number, to: number, total: number, start: Date): Promise<void> {
  // Deterministic pseudo-random numbers per conversation: hashtext of its number and a salt.
  const r = (salt: string) => `(abs(hashtext(i::text || '${salt}')) % 1000000) / 1000000.0`;
  const customers = Math.max(100, Math.floor(total * 0.6));
  await pg.query(
    `
    insert into analytics.conversations (tenant_id, conversation_id, customer_id, channel, language, intent, tier, department, agent,
      started_at, first_reply_at, last_reply_at, handoff_at, human_first_reply_at, rating)
    select $1, md5('c' || i)::uuid, 'cust-' || (abs(hashtext(i::text || 'cu')) % $4),
      (array['web','web','web','app','app','wechat','email','phone'])[1 + floor(${r('ch')} * 8)::int],
      case when ${r('lang')} < 0.2 then 'zh' else 'en' end,
      (array['order_status','order_status','refund_status','return_item','cancel_order','product_info','change_address','modify_order','exchange_item','talk_to_human'])[1 + floor(${r('in')} * 10)::int],
      case when ${r('tier')} < 0.08 then 'vip' else '' end,
      case when ${r('h')} < 0.2 then (array['orders','customer-support','support-zh'])[1 + floor(${r('dep')} * 3)::int] else '' end,
      case when ${r('h')} < 0.2 then 'agent-' || floor(${r('ag')} * 40)::int else '' end,
      s, s + interval '1 second' * (1 + ${r('frt')} * 8), s + interval '1 second' * (30 + ${r('lr')} * 600),
      case when ${r('h')} < 0.2 then s + interval '1 second' * (10 + ${r('ho')} * 120) end,
      case when ${r('h')} < 0.2 then s + interval '1 second' * (200 + ${r('hr')} * 1800) end,
      case when ${r('rated')} < 0.3 then 1 + floor(${r('rt')} * 5)::int end
    from generate_series($2::int, $3::int) i, lateral (select $5::timestamptz + interval '1 second' * floor((i + ${r('t')}) * ${DAYS * 86400} / $6::float8) as s) t`,
    [TENANT, from, to, customers, start, total],
  );
  await pg.query(
    `
    insert into analytics.ratings (tenant_id, conversation_id, rating, has_comment, rated_at)
    select $1, md5('c' || i)::uuid, 1 + floor(${r('rt')} * 5)::int, ${r('cm')} < 0.2, now()
    from generate_series($2::int, $3::int) i where ${r('rated')} < 0.3`,
    [TENANT, from, to],
  );
}

/** One ticket per handed-off conversation: 95% resolved (within 0-5.5 h of a 4 h SLA), 5% reopened. */
async function loadTickets(pg: Client): Promise<void> {
  await pg.query(
    `
    insert into analytics.tickets (tenant_id, ticket_id, conversation_id, customer_id, department, priority, channel, language, intent, tier, agent, status,
      created_at, due_at, first_resolved_at, resolved_at, reopens)
    select c.tenant_id, md5('t' || c.conversation_id)::uuid, c.conversation_id, c.customer_id, c.department, 'normal', c.channel, c.language, c.intent, c.tier, c.agent,
      case when x.u < 0.95 then 'resolved' else 'open' end, c.handoff_at, c.handoff_at + interval '4 hours',
      case when x.u < 0.95 then c.handoff_at + interval '1 second' * (x.u * 20000) end,
      case when x.u < 0.95 then c.handoff_at + interval '1 second' * (x.u * 20000) end,
      case when x.u < 0.05 then 1 else 0 end
    from analytics.conversations c, lateral (select (abs(hashtext(c.conversation_id::text)) % 1000000) / 1000000.0 as u) x
    where c.tenant_id = $1 and c.handoff_at is not null`,
    [TENANT],
  );
}
