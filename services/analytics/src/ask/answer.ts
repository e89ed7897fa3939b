// The answer to a question: one sentence in the question's language, the rows, and for more than
// one row the ECharts option and its SVG.
import { DEFINITIONS, describeMetric, type KpiQuery } from '../kpi/kpi-definitions';
import { chartOption, renderSvg, type Row } from './chart';

export interface Answer {
  answer: string;
  rows: Row[];
  chart: { option: Record<string, unknown>; svg: string } | null;
  definition: string;
}

const CJK = /[\u4e00-\u9fff]/;

export function formatValue(metric: KpiQuery['metric'], value: unknown): string {
  if (value === null || value === undefined) return 'n/a';
  const n = Number(value);
  switch (DEFINITIONS[metric].unit) {
    case 'rate':
      return `${(n * 100).toFixed(1)}%`;
    case 'seconds':
      return n >= 120 ? `${(n / 60).toFixed(1)} min` : `${Math.round(n)} s`;
    case 'score':
      return n.toFixed(2);
    default:
      return String(n);
  }
}

/** The language to answer a question in: Chinese when it has Chinese characters. */
export function languageOf(question: string): 'en' | 'zh' {
  return CJK.test(question) ? 'zh' : 'en';
}

export function composeAnswer(language: 'en' | 'zh', query: KpiQuery, rows: Row[]): Answer {
  const zh = language === 'zh';
  const d = DEFINITIONS[query.metric];
  const label = zh ? d.label.zh : d.label.en;
  const span = zh ? `${query.from} 至 ${query.to}（不含）` : `from ${query.from} to ${query.to} (exclusive)`;
  let answer: string;
  if (rows.length === 0) answer = zh ? `${span}没有可计算${label}的数据。` : `There is no data for the ${label} ${span}.`;
  else if (rows.length === 1 && query.group_by.length === 0 && !query.grain) {
    const extra = extras(query, rows[0], zh);
    answer = zh
      ? `${span}的${label}为 ${formatValue(query.metric, rows[0].value)}${extra}。`
      : `The ${label} ${span} was ${formatValue(query.metric, rows[0].value)}${extra}.`;
  } else {
    const best = [...rows].filter((r) => r.value !== null).sort((a, b) => Number(b.value) - Number(a.value))[0];
    const name = best ? describeRow(query, best) : '';
    answer = zh
      ? `${span}的${label}共 ${rows.length} 组${best ? `，最高为 ${name}：${formatValue(query.metric, best.value)}` : ''}。`
      : `The ${label} ${span} in ${rows.length} groups${best ? `; highest: ${name} at ${formatValue(query.metric, best.value)}` : ''}.`;
  }
  let chart: Answer['chart'] = null;
  if (rows.length > 1) {
    const option = chartOption(query, rows, label);
    chart = { option, svg: renderSvg(option) };
  }
  return { answer, rows, chart, definition: describeMetric(query.metric) };
}

function describeRow(query: KpiQuery, row: Row): string {
  return [...query.group_by.map((g) => String(row[g] || '(none)')), ...(query.grain ? [String(row.period)] : [])].join(' / ');
}

function extras(query: KpiQuery, row: Row, zh: boolean): string {
  if (query.metric === 'csat' && row.value !== null) {
    const share = formatValue('transfer_rate', row.share_4_5);
    const rate = formatValue('transfer_rate', row.response_rate);
    return zh ? `（4-5分占 ${share}，回复率 ${rate}）` : ` (${share} rated 4-5; response rate ${rate})`;
  }
  if ('p90' in row && row.value !== null)
    return zh ? `（p90 ${formatValue(query.metric, row.p90)}）` : ` (p90 ${formatValue(query.metric, row.p90)})`;
  return '';
}
