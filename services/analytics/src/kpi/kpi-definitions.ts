// The KPIs as code: their names in queries, what they count and how they read. docs/analytics.md
// documents the same definitions with the anchor each follows; bump `version` when one changes.
export const METRICS = [
  'conversations',
  'transfer_rate',
  'bot_resolution_rate',
  'fcr',
  'first_response_time',
  'human_first_response_time',
  'resolution_time',
  'csat',
  'tickets',
  'sla_breach_rate',
] as const;
export type Metric = (typeof METRICS)[number];

export const DIMENSIONS = ['channel', 'intent', 'department', 'language', 'tier', 'agent'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const GRAINS = ['hour', 'day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

/** The structured query a question becomes (the issue's `query` shape). `to` is exclusive. */
export interface KpiQuery {
  metric: Metric;
  group_by: Dimension[];
  filters: Partial<Record<Dimension, string[]>>;
  from: string;
  to: string;
  grain: Grain | null;
}

export type Unit = 'count' | 'rate' | 'seconds' | 'score';

export interface MetricDefinition {
  name: Metric;
  label: { en: string; zh: string };
  unit: Unit;
  version: number;
  definition: string;
}

export const DEFINITIONS: Record<Metric, MetricDefinition> = {
  conversations: {
    name: 'conversations',
    label: { en: 'conversations', zh: '会话数' },
    unit: 'count',
    version: 1,
    definition: 'conversations whose first customer message falls in the period',
  },
  transfer_rate: {
    name: 'transfer_rate',
    label: { en: 'transfer-to-human rate', zh: '转人工率' },
    unit: 'rate',
    version: 1,
    definition: 'conversations with a hand-off ÷ conversations started in the period',
  },
  bot_resolution_rate: {
    name: 'bot_resolution_rate',
    label: { en: 'bot resolution rate', zh: '机器人解决率' },
    unit: 'rate',
    version: 1,
    definition:
      'conversations the bot answered with no hand-off whose customer did not start another conversation about the same intent within 24 h of the last bot reply ÷ conversations started in the period',
  },
  fcr: {
    name: 'fcr',
    label: { en: 'first-contact resolution', zh: '首次解决率' },
    unit: 'rate',
    version: 1,
    definition:
      'resolved conversations (by the bot: answered, no hand-off; by a person: every ticket resolved) with no ticket reopened and no new conversation by the same customer about the same intent within 7 days of resolution ÷ resolved conversations started in the period',
  },
  first_response_time: {
    name: 'first_response_time',
    label: { en: 'first response time', zh: '首次响应时间' },
    unit: 'seconds',
    version: 1,
    definition: "median seconds from the customer's first message to the first reply (p90 too), conversations started in the period",
  },
  human_first_response_time: {
    name: 'human_first_response_time',
    label: { en: 'human first response time', zh: '人工首次响应时间' },
    unit: 'seconds',
    version: 1,
    definition: "median seconds from the hand-off to the agent's first message (p90 too), conversations started in the period",
  },
  resolution_time: {
    name: 'resolution_time',
    label: { en: 'resolution time', zh: '解决时长' },
    unit: 'seconds',
    version: 1,
    definition:
      'median seconds from the first customer message to resolution (last bot reply without hand-off, else the last ticket resolution; p90 too), resolved conversations started in the period',
  },
  csat: {
    name: 'csat',
    label: { en: 'satisfaction (CSAT)', zh: '满意度' },
    unit: 'score',
    version: 1,
    definition:
      'mean rating 1-5 of the conversations started in the period, with the share of 4-5 ratings and the response rate (rated ÷ conversations)',
  },
  tickets: {
    name: 'tickets',
    label: { en: 'tickets', zh: '工单数' },
    unit: 'count',
    version: 1,
    definition: 'tickets created in the period',
  },
  sla_breach_rate: {
    name: 'sla_breach_rate',
    label: { en: 'SLA breach rate', zh: 'SLA违约率' },
    unit: 'rate',
    version: 1,
    definition:
      'tickets due in the period first resolved after their due time, or unresolved and not closed past it (as of the end of the period or now, whichever is earlier) ÷ tickets due in the period',
  },
};

export function describeMetric(metric: Metric): string {
  const d = DEFINITIONS[metric];
  return `${d.name} v${d.version}: ${d.definition}`;
}

/** The JSON Schema of a query: the one tool an LLM may call to fill it (then checked by validateQuery). */
export function kpiQuerySchema(): Record<string, unknown> {
  const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['metric', 'from', 'to'],
    properties: {
      metric: { type: 'string', enum: [...METRICS], description: 'The KPI, by its name in queries.' },
      group_by: { type: 'array', items: { type: 'string', enum: [...DIMENSIONS] }, description: 'Dimensions to break the KPI down by.' },
      filters: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(DIMENSIONS.map((d) => [d, { type: 'array', items: { type: 'string' }, minItems: 1 }])),
        description: 'Only these values of a dimension, e.g. {"channel": ["web"]}.',
      },
      from: { ...day, description: 'First day of the period (YYYY-MM-DD).' },
      to: { ...day, description: 'The day after the last day of the period (exclusive).' },
      grain: { type: ['string', 'null'], enum: [...GRAINS, null], description: 'A trend over time, or null.' },
    },
  };
}
