// Day rollups of the conversation KPIs, in the tenant's time zone: per day and one dimension value
// ('' for all), the counts the rates are made of, and a histogram per duration metric. A query
// reads clean days from the rollups and dirty ones (marked by a trigger on the conversations: migration
// 1788000000000) from the facts, so an answer is as fresh as the facts. Durations are within 1%
// (log buckets, as DDSketch), the dirty days' too: a day's exact values would be sorted, which is
// what the rollups are for (a busy tenant's today is always dirty). The refresher
// (kpi-days.refresher.ts) folds dirty days in; a change of time zone re-cuts every day.
import { DIMENSIONS, type Dimension, type KpiQuery, type Metric } from './kpi-definitions';
import { cameBack, CONVERSATION_COLUMNS, seconds, validateQuery, type BuiltSql } from './kpi-sql';
import { startOfLocalDay } from './zoned-days';

/** Runs one statement and returns its rows: a pg client's or an EntityManager's `query`, adapted. */
export type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export const RELATIVE_ERROR = 0.01;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const ZERO_BUCKET = -100_000;
/** A duration's bucket: every duration in bucket k lies in (γ^(k-1), γ^k]; under 1 ms counts as 0. */
const bucketOf = (secs: string) =>
  `case when (${secs})::float8 <= 0.001 then ${ZERO_BUCKET} else ceil(ln((${secs})::float8) / ${Math.log(GAMMA)})::int end`;
// (In float8: ln of a numeric, what extract(epoch …) returns, is many times slower.)
/** A bucket's representative duration, within RELATIVE_ERROR of every duration in it. */
const durationOf = (bucket: string) =>
  `case when ${bucket} = ${ZERO_BUCKET} then 0 else 2 * power(${GAMMA}::float8, ${bucket}) / ${GAMMA + 1} end`;

const COUNTS: Record<string, string> = {
  conversations: 'count(*)',
  handoffs: 'count(*) filter (where u.handoff_at is not null)',
  bot_resolved: `count(*) filter (where u.handoff_at is null and u.last_reply_at is not null and not ${cameBack('u.last_reply_at', '24 hours')})`,
  resolved: 'count(u.resolved_at)',
  fcr_ok: `count(*) filter (where u.resolved_at is not null and u.reopens = 0 and not ${cameBack('u.resolved_at', '7 days')})`,
  rated: 'count(u.rating)',
  rating_sum: 'coalesce(sum(u.rating), 0)',
  rated_4_5: 'count(*) filter (where u.rating >= 4)',
};

const DURATIONS = {
  first_response_time: seconds('u.started_at', 'u.first_reply_at'),
  human_first_response_time: seconds('u.handoff_at', 'u.human_first_reply_at'),
  resolution_time: seconds('u.started_at', 'u.resolved_at'),
} as const;
type DurationMetric = keyof typeof DURATIONS;
const isDuration = (m: Metric): m is DurationMetric => m in DURATIONS;

/** Metrics the rollups answer (ticket metrics scan tickets, which are few and fast already). */
const ROLLED: Metric[] = ['conversations', 'transfer_rate', 'bot_resolution_rate', 'fcr', 'csat', ...(Object.keys(DURATIONS) as Metric[])];

/** The one dimension a query grouped or filtered by, if any ('' for none). */
function dimensionOf(query: KpiQuery): Dimension | '' {
  return [...new Set([...query.group_by, ...(Object.keys(query.filters) as Dimension[])])][0] ?? '';
}

/** Can the rollups answer it: a rolled metric, whole days, at most one dimension grouped or filtered by. */
export function rollupsCanAnswer(query: KpiQuery): boolean {
  const dims = new Set([...query.group_by, ...Object.keys(query.filters)]);
  return ROLLED.includes(query.metric) && query.grain !== 'hour' && dims.size <= 1;
}

/** The conversations started within the given ranges of local days, each with its local day. */
const unitOfDays = (tenant: string, timeZone: string, starts: string, ends: string) => `
  select ${CONVERSATION_COLUMNS}, (c.started_at at time zone ${timeZone})::date as day
  from unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) d(s, e)
  join analytics.conversations c on c.tenant_id = ${tenant} and c.started_at >= d.s and c.started_at < d.e`;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Where each local day begins and ends, as instants. */
function dayRanges(days: string[], timeZone: string): [Date[], Date[]] {
  return [days.map((d) => startOfLocalDay(d, timeZone)), days.map((d) => startOfLocalDay(nextDay(d), timeZone))];
}

// Which rollup row a grouping set makes: its dimension and value ('' and '' for all conversations).
const GROUPING_SETS = ['(u.day)', ...DIMENSIONS.map((d) => `(u.day, u.${d})`)];
const GROUPED_DIM = `case ${DIMENSIONS.map((d) => `when grouping(u.${d}) = 0 then '${d}'`).join(' ')} else '' end`;
const GROUPED_VALUE = `case ${DIMENSIONS.map((d) => `when grouping(u.${d}) = 0 then u.${d}`).join(' ')} else '' end`;

/** The local days with dirty marks ("YYYY-MM-DD"), each with the marks' ids. An hour may end on the next day. */
const DIRTY_DAYS = `
  select x.day::text as day, array_agg(k.id) as ids
  from analytics.kpi_dirty k,
    lateral (values ((k.hour at time zone $2)::date), (((k.hour + interval '1 hour' - interval '1 microsecond') at time zone $2)::date)) x(day)
  where k.tenant_id = $1`;

/**
 * Folds up to `maxDays` dirty days of a tenant into the rollups, newest first. Call it inside a
 * REPEATABLE READ transaction: the marks it deletes are exactly those its snapshot saw, so a fact
 * changed meanwhile keeps its mark. Another refresher working on the tenant makes it return at once.
 */
export async function refreshKpiDays(
  query: Query,
  tenantId: string,
  timeZone: string,
  maxDays = 7,
): Promise<{ days: string[]; remaining: boolean }> {
  const [{ locked }] = await query('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [`analytics.kpi_days:${tenantId}`]);
  if (!locked) return { days: [], remaining: true };
  const [state] = await query('select time_zone from analytics.kpi_day_state where tenant_id = $1', [tenantId]);
  if (state?.time_zone !== timeZone) {
    // First refresh, or a new time zone: every day is cut again.
    await query('delete from analytics.kpi_days where tenant_id = $1', [tenantId]);
    await query('delete from analytics.kpi_day_durations where tenant_id = $1', [tenantId]);
    await query(
      `insert into analytics.kpi_dirty (tenant_id, hour)
       select distinct tenant_id, date_trunc('hour', started_at) from analytics.conversations where tenant_id = $1 and started_at is not null`,
      [tenantId],
    );
    await query(
      `insert into analytics.kpi_day_state (tenant_id, time_zone) values ($1, $2)
       on conflict (tenant_id) do update set time_zone = excluded.time_zone`,
      [tenantId, timeZone],
    );
  }
  const dirty = await query(`${DIRTY_DAYS} group by x.day order by x.day desc`, [tenantId, timeZone]);
  const chosen = dirty.slice(0, maxDays);
  if (chosen.length === 0) return { days: [], remaining: false };
  const days = chosen.map((d) => d.day as string);
  // A mark is spent only when every day its hour touches was refreshed here.
  const touchedElsewhere = new Set(dirty.slice(maxDays).flatMap((d) => (d.ids as string[]).map(String)));
  const spent = [...new Set(chosen.flatMap((d) => (d.ids as string[]).map(String)))].filter((id) => !touchedElsewhere.has(id));
  const [starts, ends] = dayRanges(days, timeZone);
  const unit = unitOfDays('$1', '$2', '$3', '$4');
  for (const table of ['kpi_days', 'kpi_day_durations'])
    await query(`delete from analytics.${table} where tenant_id = $1 and day = any($2::date[])`, [tenantId, days]);
  await query(
    `insert into analytics.kpi_days (tenant_id, day, dim, value, ${Object.keys(COUNTS).join(', ')})
     select $1, u.day, ${GROUPED_DIM}, ${GROUPED_VALUE}, ${Object.values(COUNTS).join(', ')}
     from (${unit}) u group by grouping sets (${GROUPING_SETS.join(', ')})`,
    [tenantId, timeZone, starts, ends],
  );
  const measures = Object.entries(DURATIONS).map(([metric, secs]) => `('${metric}', ${bucketOf(secs)})`);
  await query(
    `insert into analytics.kpi_day_durations (tenant_id, day, dim, value, measure, buckets, counts)
     select $1, h.day, h.dim, h.value, h.measure, array_agg(h.bucket order by h.bucket), array_agg(h.n order by h.bucket)
     from (
       select u.day, ${GROUPED_DIM} as dim, ${GROUPED_VALUE} as value, m.measure, m.bucket, count(*)::int as n
       from (${unit}) u cross join lateral (values ${measures.join(', ')}) m(measure, bucket)
       where m.bucket is not null
       group by grouping sets (${GROUPING_SETS.map((s) => `${s.slice(0, -1)}, m.measure, m.bucket)`).join(', ')})
     ) h group by h.day, h.dim, h.value, h.measure`,
    [tenantId, timeZone, starts, ends],
  );
  await query('delete from analytics.kpi_dirty where id = any($1::bigint[])', [spent]);
  return { days, remaining: dirty.length > maxDays };
}

/** The rollups' time zone for the tenant (null before the first refresh) and the dirty days within the query's period. */
export async function rollupState(
  query: Query,
  tenantId: string,
  q: KpiQuery,
  timeZone: string,
): Promise<{ timeZone: string | null; dirtyDays: string[] }> {
  const [state] = await query('select time_zone from analytics.kpi_day_state where tenant_id = $1', [tenantId]);
  const dirty = await query(`${DIRTY_DAYS} and x.day >= $3::date and x.day < $4::date group by x.day order by x.day`, [
    tenantId,
    timeZone,
    q.from,
    q.to,
  ]);
  return { timeZone: (state?.time_zone as string | undefined) ?? null, dirtyDays: dirty.map((d) => d.day as string) };
}

/** The SQL of a validated query the rollups can answer (rollupsCanAnswer), with `dirtyDays` read from the facts. */
export function buildRollupSql(tenantId: string, query: KpiQuery, timeZone: string, dirtyDays: string[]): BuiltSql {
  // As buildKpiSql does: the dimension's name is written into the SQL, so it must be one of ours.
  validateQuery(query);
  const dim = dimensionOf(query);
  const [starts, ends] = dayRanges(dirtyDays, timeZone);
  const params: unknown[] = [tenantId, timeZone, query.from, query.to, dirtyDays, starts, ends];
  const values = dim ? query.filters[dim] : undefined;
  if (values) params.push(values);
  const valueFilter = values ? `value = any($${params.length}::text[])` : 'true';
  const tailFilter = values ? `u.${dim} = any($${params.length}::text[])` : 'true';
  // Keys: the dimension's value when grouped by it, the period when a trend.
  const keys: Array<[name: string, expr: string]> = [];
  if (query.group_by.length === 1) keys.push(['k_value', 'x.value']);
  if (query.grain) {
    params.push(query.grain);
    keys.push(['k_period', `date_trunc($${params.length}, x.day::timestamp)`]);
  }
  const keyCols = keys.map(([name, expr]) => `${expr} as ${name}`);
  const keyNames = keys.map(([name]) => name);
  const groupBy = keyNames.length ? ` group by ${keyNames.join(', ')}` : '';
  const rolledDays = `tenant_id = $1 and dim = '${dim}' and day >= $3::date and day < $4::date and day <> all($5::date[]) and ${valueFilter}`;
  const ctes = [
    `tail as materialized (select * from (${unitOfDays('$1', '$2', '$6', '$7')}) u where ${tailFilter})`,
    `days as (
      select day, value, ${Object.keys(COUNTS).join(', ')} from analytics.kpi_days where ${rolledDays}
      union all
      select u.day, ${dim ? `u.${dim}` : "''"}, ${Object.values(COUNTS).join(', ')} from tail u group by 1, 2)`,
    `counts as (select ${[...keyCols, ...Object.keys(COUNTS).map((c) => `sum(x.${c}) as ${c}`)].join(', ')} from days x${groupBy})`,
  ];
  const outputs = { ...COUNT_OUTPUTS[query.metric] };
  let join = '';
  if (isDuration(query.metric)) {
    const partition = keyNames.length ? `partition by ${keyNames.join(', ')} ` : '';
    const rank = (q: number, name: string) =>
      `min(secs) filter (where cum > floor(${q} * (total - 1))) as ${name}_lo, min(secs) filter (where cum > ceil(${q} * (total - 1))) as ${name}_hi`;
    ctes.push(
      `weights as (
        select ${[...keyCols, 'x.secs', 'sum(x.w) as w'].join(', ')} from (
          select k.day, k.value, ${durationOf('h.b')} as secs, h.n as w
          from analytics.kpi_day_durations k, unnest(k.buckets, k.counts) h(b, n)
          where measure = '${query.metric}' and ${rolledDays}
          union all
          select u.day, ${dim ? `u.${dim}` : "''"}, ${durationOf(bucketOf(DURATIONS[query.metric]))}, 1 from tail u where ${DURATIONS[query.metric]} is not null
        ) x group by ${[...keyNames, 'x.secs'].join(', ')})`,
      `ranked as (select *, sum(w) over (${partition}order by secs) as cum, sum(w) over (${partition.trim()}) as total from weights)`,
      `pct as (select ${[...keyNames, 'max(total) as n', rank(0.5, 'm'), rank(0.9, 'p')].join(', ')} from ranked${groupBy})`,
    );
    join = ` left join pct p on ${keyNames.map((k) => `p.${k} is not distinct from c.${k}`).join(' and ') || 'true'}`;
    const interpolate = (q: number, name: string) =>
      `(p.${name}_lo + (${q} * (p.n - 1) - floor(${q} * (p.n - 1))) * (p.${name}_hi - p.${name}_lo))::float8`;
    Object.assign(outputs, { value: interpolate(0.5, 'm'), p90: interpolate(0.9, 'p'), n: 'coalesce(p.n, 0)::int' });
  }
  const selects = [
    ...(query.group_by.length === 1 ? [`c.k_value as "${dim}"`] : []),
    ...(query.grain ? [`to_char(c.k_period, 'YYYY-MM-DD"T"HH24:MI') as period`] : []),
    ...Object.entries(outputs).map(([name, expr]) => `${expr} as ${name}`),
  ];
  const orderBy = keyNames.length ? ` order by ${keyNames.map((k) => `c.${k}`).join(', ')}` : '';
  const sql = `with ${ctes.join(',\n')} select ${selects.join(', ')} from counts c${join}${orderBy}`;
  return { sql, params, values: Object.keys(outputs) };
}

const ratio = (part: string, whole: string) => `(c.${part}::float8 / nullif(c.${whole}, 0))`;
/** What each metric's row carries, from the summed counts (durations add theirs from the histograms). */
const COUNT_OUTPUTS: Record<Metric, Record<string, string>> = {
  conversations: { value: 'coalesce(c.conversations, 0)::int' },
  transfer_rate: { value: ratio('handoffs', 'conversations'), n: 'coalesce(c.conversations, 0)::int' },
  bot_resolution_rate: { value: ratio('bot_resolved', 'conversations'), n: 'coalesce(c.conversations, 0)::int' },
  fcr: { value: ratio('fcr_ok', 'resolved'), n: 'coalesce(c.resolved, 0)::int' },
  csat: {
    value: ratio('rating_sum', 'rated'),
    share_4_5: ratio('rated_4_5', 'rated'),
    response_rate: ratio('rated', 'conversations'),
    n: 'coalesce(c.rated, 0)::int',
  },
  first_response_time: {},
  human_first_response_time: {},
  resolution_time: {},
  tickets: {},
  sla_breach_rate: {},
};
