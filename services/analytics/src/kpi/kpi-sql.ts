// Structured query → SQL over the facts. Code writes every identifier from fixed maps (metrics,
// dimensions, grains are checked against their lists first); every value travels as a parameter.
import { DIMENSIONS, GRAINS, METRICS, type Dimension, type KpiQuery, type Metric } from './kpi-definitions';
import { startOfLocalDay } from './zoned-days';

export interface BuiltSql {
  sql: string;
  params: unknown[];
  /** The value columns each row carries besides its dimensions and period. */
  values: string[];
}

export class InvalidQueryError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a query from outside (eval files, an LLM, the REST body) before it is built. */
/** Two years: enough to compare a year with the one before; longer scans hold a tenant's partition. */
export const MAX_PERIOD_DAYS = 731;

export function validateQuery(query: KpiQuery): void {
  if (!METRICS.includes(query.metric)) throw new InvalidQueryError(`metric must be one of ${METRICS.join(', ')}`);
  for (const d of query.group_by)
    if (!DIMENSIONS.includes(d)) throw new InvalidQueryError(`group_by: ${JSON.stringify(d)} must be one of ${DIMENSIONS.join(', ')}`);
  for (const [d, values] of Object.entries(query.filters)) {
    if (!DIMENSIONS.includes(d as Dimension))
      throw new InvalidQueryError(`filters: ${JSON.stringify(d)} must be one of ${DIMENSIONS.join(', ')}`);
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string'))
      throw new InvalidQueryError(`filters.${d} must be a non-empty list of strings`);
  }
  if (!DAY.test(query.from) || Number.isNaN(Date.parse(query.from))) throw new InvalidQueryError('from must be a date YYYY-MM-DD');
  if (!DAY.test(query.to) || Number.isNaN(Date.parse(query.to))) throw new InvalidQueryError('to must be a date YYYY-MM-DD');
  if (query.from >= query.to) throw new InvalidQueryError('to must be after from (to is exclusive)');
  if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 > MAX_PERIOD_DAYS)
    throw new InvalidQueryError(`from, to: a period of at most ${MAX_PERIOD_DAYS} days`);
  if (query.grain !== null && !GRAINS.includes(query.grain))
    throw new InvalidQueryError(`grain must be one of ${GRAINS.join(', ')} or null`);
}

const QUERY_FIELDS = ['metric', 'group_by', 'filters', 'from', 'to', 'grain'];

/** A structured query sent as JSON (the console's overview, an integrator): its shape, then `validateQuery`. */
export function queryFromJson(json: string): KpiQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidQueryError('query_json is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidQueryError(`query_json must be an object with ${QUERY_FIELDS.join(', ')}`);
  const q = parsed as Record<string, unknown>;
  const unknown = Object.keys(q).filter((k) => !QUERY_FIELDS.includes(k));
  if (unknown.length > 0) throw new InvalidQueryError(`${unknown.join(', ')}: not a query field (${QUERY_FIELDS.join(', ')})`);
  if (typeof q.metric !== 'string') throw new InvalidQueryError(`metric must be one of ${METRICS.join(', ')}`);
  const groupBy: unknown = q.group_by ?? [];
  if (!Array.isArray(groupBy) || groupBy.some((d) => typeof d !== 'string'))
    throw new InvalidQueryError('group_by must be a list of dimensions');
  const filters = q.filters ?? {};
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw new InvalidQueryError('filters must be an object');
  if (typeof q.from !== 'string') throw new InvalidQueryError('from must be a date YYYY-MM-DD');
  if (typeof q.to !== 'string') throw new InvalidQueryError('to must be a date YYYY-MM-DD');
  const grain = q.grain ?? null;
  if (grain !== null && typeof grain !== 'string') throw new InvalidQueryError(`grain must be one of ${GRAINS.join(', ')} or null`);
  const query = { metric: q.metric, group_by: groupBy as string[], filters, from: q.from, to: q.to, grain } as KpiQuery;
  validateQuery(query);
  return query;
}

interface MetricSql {
  /** Rows of one unit (a conversation or a ticket) with `dims` and `at` (the period's time column). */
  unit: string;
  aggregate: Record<string, string>;
}

// The per-conversation resolution: the bot's when there was no hand-off and it replied; else the
// tickets' once every ticket of the conversation is resolved (folded onto the row as tickets move:
// conversation-rollups.ts, so this is a scan of conversations and nothing else).
export const CONVERSATION_COLUMNS = `c.*,
    case when c.handoff_at is null then c.last_reply_at
         when c.ticket_count > 0 and c.tickets_unresolved = 0 then c.tickets_resolved_at end as resolved_at,
    c.ticket_reopens as reopens`;
const CONVERSATION_UNIT = `
  select ${CONVERSATION_COLUMNS}, c.started_at as at
  from analytics.conversations c
  where c.tenant_id = $1 and c.started_at >= $2 and c.started_at < $3`;

// Did the same customer start another conversation about the same intent within `window` of
// `since`? The earliest later one decides, and the row keeps it (next_same_intent_at).
export const cameBack = (since: string, window: string) =>
  `(u.next_same_intent_at is not null and u.next_same_intent_at <= ${since} + interval '${window}')`;

export const seconds = (from: string, to: string) => `extract(epoch from (${to} - ${from}))`;
const median = (expr: string) => `percentile_cont(0.5) within group (order by ${expr})`;
const p90 = (expr: string) => `percentile_cont(0.9) within group (order by ${expr})`;

const METRIC_SQL: Record<Metric, MetricSql> = {
  conversations: { unit: CONVERSATION_UNIT, aggregate: { value: 'count(*)::int' } },
  transfer_rate: { unit: CONVERSATION_UNIT, aggregate: { value: 'avg((u.handoff_at is not null)::int)::float8', n: 'count(*)::int' } },
  bot_resolution_rate: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: `avg((u.handoff_at is null and u.last_reply_at is not null and not ${cameBack('u.last_reply_at', '24 hours')})::int)::float8`,
      n: 'count(*)::int',
    },
  },
  fcr: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: `(avg((u.reopens = 0 and not ${cameBack('u.resolved_at', '7 days')})::int) filter (where u.resolved_at is not null))::float8`,
      n: 'count(*) filter (where u.resolved_at is not null)::int',
    },
  },
  first_response_time: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: `${median(seconds('u.started_at', 'u.first_reply_at'))}::float8`,
      p90: `${p90(seconds('u.started_at', 'u.first_reply_at'))}::float8`,
      n: 'count(u.first_reply_at)::int',
    },
  },
  human_first_response_time: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: `${median(seconds('u.handoff_at', 'u.human_first_reply_at'))}::float8`,
      p90: `${p90(seconds('u.handoff_at', 'u.human_first_reply_at'))}::float8`,
      n: 'count(*) filter (where u.handoff_at is not null and u.human_first_reply_at is not null)::int',
    },
  },
  resolution_time: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: `${median(seconds('u.started_at', 'u.resolved_at'))}::float8`,
      p90: `${p90(seconds('u.started_at', 'u.resolved_at'))}::float8`,
      n: 'count(u.resolved_at)::int',
    },
  },
  csat: {
    unit: CONVERSATION_UNIT,
    aggregate: {
      value: 'avg(u.rating)::float8',
      share_4_5: 'avg((u.rating >= 4)::int)::float8',
      response_rate: 'avg((u.rating is not null)::int)::float8',
      n: 'count(u.rating)::int',
    },
  },
  tickets: {
    unit: `select t.*, t.created_at as at from analytics.tickets t where t.tenant_id = $1 and t.created_at >= $2 and t.created_at < $3`,
    aggregate: { value: 'count(*)::int' },
  },
  sla_breach_rate: {
    // $4: the moment "still open past its due time" is judged at (end of period, or now if earlier).
    unit: `select t.*, t.due_at as at from analytics.tickets t where t.tenant_id = $1 and t.due_at >= $2 and t.due_at < $3`,
    aggregate: {
      value: `avg(((u.first_resolved_at is not null and u.first_resolved_at > u.due_at) or (u.first_resolved_at is null and u.status <> 'closed' and u.due_at < $4))::int)::float8`,
      n: 'count(*)::int',
    },
  },
};

/** Builds the SQL of a validated query. `asOf` is now; periods are days of `timeZone` (the tenant's). */
export function buildKpiSql(tenantId: string, query: KpiQuery, asOf: Date, timeZone = 'UTC'): BuiltSql {
  validateQuery(query);
  const spec = METRIC_SQL[query.metric];
  const from = startOfLocalDay(query.from, timeZone);
  const to = startOfLocalDay(query.to, timeZone);
  const params: unknown[] = [tenantId, from, to, new Date(Math.min(to.getTime(), asOf.getTime()))];
  const where: string[] = [];
  for (const d of DIMENSIONS) {
    const values = query.filters[d];
    if (!values) continue;
    params.push(values);
    where.push(`u.${d} = any($${params.length}::text[])`);
  }
  const keys: string[] = query.group_by.map((d) => `u.${DIMENSIONS[DIMENSIONS.indexOf(d)]}`);
  const selects: string[] = query.group_by.map((d, i) => `${keys[i]} as "${DIMENSIONS[DIMENSIONS.indexOf(d)]}"`);
  if (query.grain) {
    params.push(query.grain, timeZone);
    const period = `date_trunc($${params.length - 1}, u.at at time zone $${params.length})`;
    keys.push(period);
    selects.push(`to_char(${period}, 'YYYY-MM-DD"T"HH24:MI') as period`);
  }
  for (const [name, expr] of Object.entries(spec.aggregate)) selects.push(`${expr} as ${name}`);
  // $4 must be referenced for Postgres to type it; metrics that do not use it compare it to itself.
  const uses4 = Object.values(spec.aggregate).some((e) => e.includes('$4'));
  const sql = `select ${selects.join(', ')} from (${spec.unit}) u where ${[uses4 ? 'true' : '$4::timestamptz is not null', ...where].join(' and ')}${keys.length ? ` group by ${keys.join(', ')} order by ${keys.join(', ')}` : ''}`;
  return { sql, params, values: Object.keys(spec.aggregate) };
}
