// The deterministic question → structured query step, for English and Chinese. It maps what it
// recognises (a metric by its synonyms, dimensions to group by, dimension values to filter on, a
// trend grain, a time expression) and refuses — saying what it understood — rather than guess.
import { DEFINITIONS, type Dimension, type Grain, type KpiQuery, type Metric } from '../kpi/kpi-definitions';
import { parsePeriod } from './time-expressions';

export type ParseOutcome = { ok: true; query: KpiQuery; understood: string[] } | { ok: false; reason: string; understood: string[] };

// Most specific first: "human first response time" before "first response time", "bot resolution
// rate" before "resolution time", SLA breaches before tickets.
const METRIC_SYNONYMS: Array<[Metric, RegExp]> = [
  [
    'human_first_response_time',
    /\b(?:human|agent|staff)(?:'s|s')?\s+(?:first\s+)?(?:response|reply)\s+times?\b|\btime\s+(?:to|until)\s+(?:the\s+)?first\s+(?:human|agent)\s+(?:response|reply)\b|人工首次?响应|人工首响|人工回复时间|客服首次?响应|坐席首次?响应|客服响应时间|人工响应时间/,
  ],
  [
    'first_response_time',
    /\bfirst[\s-]+(?:response|reply)\s+times?\b|\btime\s+to\s+first\s+(?:response|reply)\b|\bresponse\s+times?\b|\bfrt\b|首次响应|首响|响应时间|首次回复时间/,
  ],
  [
    'bot_resolution_rate',
    /\bbot[\s-]+resolution(?:\s+rate)?\b|\bresolved\s+by\s+the\s+bot\b|\bself[\s-]service\s+rate\b|\bcontainment\s+rate\b|\bautomation\s+rate\b|\bbot\s+(?:solved|resolved)\b|机器人解决|自助解决|自动解决|机器人独立解决/,
  ],
  [
    'fcr',
    /\bfirst[\s-]+(?:contact|call|time)[\s-]+resolution\b|\bfcr\b|\bresolved\s+(?:on|at)\s+(?:the\s+)?first\s+contact\b|首次解决率|一次解决率|首问解决率|首次接触解决|一次性解决/,
  ],
  [
    'transfer_rate',
    /\b(?:transfer|transfer[\s-]to[\s-]human|hand[\s-]?off|handover|escalation)\s+rates?\b|\btransfers?\s+to\s+(?:a\s+)?(?:human|agent|person)s?\b|\bescalations?\b|\bhand[\s-]?offs?\b|转人工|人工转接|转接率|升级率/,
  ],
  [
    'resolution_time',
    /\bresolution\s+times?\b|\btime\s+to\s+(?:resolution|resolve)\b|\bhow\s+long\b.*\bresolve\b|\bresolve\s+time\b|解决时长|解决时间|处理时长|解决用时/,
  ],
  ['csat', /\bcsat\b|\bsatisf(?:action|ied)\b|\bratings?\b|\bstars?\b|满意度|满意|评分|打分|评价/],
  [
    'sla_breach_rate',
    /\bsla\b.*\b(?:breach|breaches|breached|violation|violations|miss|missed)\b|\b(?:breach|breaches|breached|violation|violations|missed)\b.*\bsla\b|\bsla\s+breach\s+rate\b|\boverdue\b|sla违约|sla超时|违约率|超时率|逾期率|sla.*(?:违约|超时|逾期)/,
  ],
  ['tickets', /\btickets?\b|\bcases\b|工单/],
  ['conversations', /\bconversations?\b|\bchats?\b|\bsessions?\b|\bcontacts\b|\bvolume\b|会话|对话|咨询量|咨询/],
];

const DIMENSION_WORDS: Record<Dimension, { en: string; zh: string }> = {
  channel: { en: 'channels?', zh: '渠道|通道|来源渠道' },
  intent: {
    en: 'intents?|topics?|reasons?|categor(?:y|ies)|issue\\s+types?|contact\\s+reasons?',
    zh: '意图|问题类型|咨询类型|类别|问题分类|主题',
  },
  department: { en: 'departments?|teams?|queues?', zh: '部门|团队|组' },
  language: { en: 'languages?|locales?', zh: '语言|语种' },
  tier: { en: '(?:customer\\s+)?tiers?|segments?|customer\\s+levels?', zh: '客户等级|会员等级|等级|客户层级' },
  agent: { en: 'agents?|(?:support\\s+)?reps?|representatives?', zh: '客服|坐席|人工客服|座席|客服人员' },
};

const GROUP_EN = (words: string) =>
  new RegExp(
    `\\b(?:by|per|for\\s+each|each|every|across(?:\\s+all)?|split\\s+by|broken\\s+down\\s+by|grouped\\s+by|for\\s+all|compare(?:d)?|between|which)\\s+(?:the\\s+|different\\s+|our\\s+)?(?:${words})\\b`,
  );
const GROUP_ZH = (words: string) => new RegExp(`(?:按|各|分|每个|每一个|每位|各个|不同|哪个|哪些|哪一个)(?:个)?(?:${words})`);

/** Known dimension values as adapters, the classifier and ticketing name them, with their synonyms. */
const VALUES: Array<[Dimension, string, RegExp]> = [
  ['channel', 'web', /\bweb(?:site|\s+chat)?\b|网页|网站|官网/],
  ['channel', 'app', /\b(?:mobile\s+)?app\b|手机应用|应用内|\bapp端|移动端|app渠道/],
  ['channel', 'phone', /\bphone\b|\bvoice\b|\bcalls?\b(?!\s+resolution)|电话|语音/],
  ['channel', 'email', /\be-?mail\b|邮件|邮箱/],
  ['channel', 'sms', /\bsms\b|\btext\s+messages?\b|短信/],
  ['channel', 'whatsapp', /\bwhatsapp\b/],
  ['channel', 'wechat', /\bwechat\b|微信/],
  ['language', 'en', /\benglish\b|英文|英语/],
  ['language', 'zh', /\bchinese\b|\bmandarin\b|中文|汉语|华语/],
  ['tier', 'vip', /\bvips?\b|\bvip\b|贵宾/],
  ['department', 'escalations', /\bescalations\s+(?:team|department|queue)\b|升级部门|升级组/],
  ['department', 'support-zh', /\bsupport-zh\b|中文客服部|中文支持/],
  ['department', 'orders', /\borders\s+(?:team|department|queue)\b|订单部门|订单组/],
  ['department', 'customer-support', /\bcustomer[\s-]support\s+(?:team|department|queue)\b|\bcustomer-support\b|客户支持部|客服部/],
  ['intent', 'order_status', /\border[\s_]status\b|\bwhere\s+is\s+my\s+order\b|\border\s+tracking\b|订单状态|查订单|物流查询/],
  ['intent', 'talk_to_human', /\btalk[\s_]to[\s_]human\b|要求人工|找人工/],
  ['intent', 'return_item', /\breturn[\s_]items?\b|\breturns\b|退货/],
  ['intent', 'refund_status', /\brefund[\s_]status\b|\brefunds?\b|退款/],
  ['intent', 'modify_order', /\bmodify[\s_]order\b|\border\s+(?:changes|modifications?)\b|修改订单|改订单/],
  ['intent', 'change_payment', /\bchange[\s_]payment\b|\bpayment\s+changes?\b|更换支付|修改支付|支付方式/],
  ['intent', 'cancel_order', /\bcancel[\s_]orders?\b|\bcancell?ations?\b|取消订单/],
  ['intent', 'product_info', /\bproduct[\s_]info(?:rmation)?\b|\bproduct\s+questions?\b|产品信息|商品信息|产品咨询/],
  ['intent', 'exchange_item', /\bexchange[\s_]items?\b|\bexchanges?\b|换货/],
  ['intent', 'change_address', /\bchange[\s_]address\b|\baddress\s+changes?\b|修改地址|改地址/],
  ['intent', 'greeting', /\bgreeting\b/],
  ['intent', 'goodbye', /\bgoodbye\b/],
];

const GRAINS: Array<[Grain, RegExp]> = [
  ['hour', /\bhourly\b|\bper\s+hour\b|\bby\s+(?:the\s+)?hour\b|\beach\s+hour\b|\bhour\s+by\s+hour\b|每小时|按小时|逐小时|分小时/],
  ['week', /\bweekly\b|\bper\s+week\b|\bby\s+week\b|\beach\s+week\b|\bweek\s+(?:by|over)\s+week\b|每周|按周|逐周|每星期|分周/],
  ['month', /\bmonthly\b|\bper\s+month\b|\bby\s+month\b|\beach\s+month\b|\bmonth\s+(?:by|over)\s+month\b|每月|按月|逐月|每个月|分月/],
  [
    'day',
    /\bdaily\b|\bper\s+day\b|\bby\s+day\b|\beach\s+day\b|\bday\s+by\s+day\b|\bevery\s+day\b|\btrends?\b|\bover\s+time\b|\btrending\b|每天|每日|按天|按日|逐日|逐天|趋势|走势|变化/,
  ],
];

// Things the parser knows it cannot do: asking for them gets a refusal, never a near miss.
const UNSUPPORTED = /\b(?:forecast|predict(?:ion)?|will\s+be|next\s+(?:week|month|year)|why|because)\b|预测|为什么|原因是|下周|下个月|明年/;
const UNKNOWN_GROUP_EN = /\b(?:by|per|for\s+each|across)\s+(?:the\s+)?([a-z]+)/g;
const TIME_WORDS = /^(?:day|days|week|weeks|month|months|hour|hours|year|years|the|a|an)$/;
// "the telegram channel", "the billing team": a value named for a dimension that is not one we know.
const NAMED_VALUE_EN = /\b([a-z][a-z0-9_-]*)\s+(channel|department|team|queue|intent)\b/g;
const NOT_A_VALUE =
  /^(?:the|a|an|each|every|all|any|by|per|which|what|different|our|this|that|same|one|other|and|or|of|in|on|for|across|customer|support|chat)$/;

export function normaliseQuestion(question: string): string {
  // Full-width forms (ＣＳＡＴ, ３０) to ASCII; one space between words.
  return question
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** `timeZone`: the tenant's, which its days (and so "today", "last week") are counted in. */
export function parseQuestion(question: string, now: Date, timeZone = 'UTC'): ParseOutcome {
  const q = normaliseQuestion(question);
  const understood: string[] = [];

  const grain = GRAINS.find(([, re]) => re.test(q))?.[0] ?? null;
  const period = parsePeriod(q, now, timeZone);
  if (period.said) understood.push(`period "${period.said}" = ${period.from} to ${period.to} (exclusive)`);
  if (grain) understood.push(`a ${grain} trend`);

  const groupBy: Dimension[] = [];
  for (const [d, words] of Object.entries(DIMENSION_WORDS) as Array<[Dimension, { en: string; zh: string }]>) {
    if (GROUP_EN(words.en).test(q) || GROUP_ZH(words.zh).test(q)) groupBy.push(d);
  }
  if (groupBy.length) understood.push(`grouped by ${groupBy.join(', ')}`);

  const filters: Partial<Record<Dimension, string[]>> = {};
  for (const [d, value, re] of VALUES) {
    if (!re.test(q)) continue;
    const values = (filters[d] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  for (const [d, values] of Object.entries(filters)) understood.push(`${d} ${values.join(', ')}`);

  const metric = METRIC_SYNONYMS.find(([, re]) => re.test(q))?.[0];
  if (metric) understood.unshift(`the metric ${metric} (${DEFINITIONS[metric].label.en})`);

  const unsupported = UNSUPPORTED.exec(q);
  if (unsupported)
    return { ok: false, reason: `I can't answer that yet: "${unsupported[0]}" asks for more than the recorded numbers`, understood };
  for (const match of q.matchAll(UNKNOWN_GROUP_EN)) {
    const word = match[1];
    const known =
      Object.values(DIMENSION_WORDS).some((w) => new RegExp(`^(?:${w.en})$`).test(word)) ||
      TIME_WORDS.test(word) ||
      /^(?:hour|day|week|month)ly$/.test(word);
    if (!known && /^(?:region|country|city|product|sku|price|gender|age|device|browser|store|brand)s?$/.test(word)) {
      return {
        ok: false,
        reason: `I can't answer that yet: I can't group by "${word}" (I know ${Object.keys(DIMENSION_WORDS).join(', ')})`,
        understood,
      };
    }
  }
  for (const match of q.matchAll(NAMED_VALUE_EN)) {
    const [phrase, word, dimension] = match;
    const known = NOT_A_VALUE.test(word) || VALUES.some(([, value, re]) => value === word || re.test(phrase));
    if (!known) return { ok: false, reason: `I can't answer that yet: I don't know a ${dimension} called "${word}"`, understood };
  }
  if (!metric)
    return {
      ok: false,
      reason: `I can't answer that yet: I did not recognise a measure (I know ${Object.keys(DEFINITIONS).join(', ')})`,
      understood,
    };

  return { ok: true, query: { metric, group_by: groupBy, filters, from: period.from, to: period.to, grain }, understood };
}
