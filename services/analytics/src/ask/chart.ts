// An answer's chart: an Apache ECharts option (lines for a trend, bars for a breakdown), rendered to
// SVG on the server with ECharts' own SSR mode, so no browser or DOM is involved.
import * as echarts from 'echarts';
import type { KpiQuery } from '../kpi/kpi-definitions';

export type Row = Record<string, string | number | null>;

const WIDTH = 720;
const HEIGHT = 400;

export function chartOption(query: KpiQuery, rows: Row[], title: string): Record<string, unknown> {
  const series = new Map<string, Map<string, number | null>>();
  const categories: string[] = [];
  for (const row of rows) {
    const category = query.grain ? String(row.period) : query.group_by.map((d) => String(row[d] || '(none)')).join(' / ');
    const name = query.grain && query.group_by.length ? query.group_by.map((d) => String(row[d] || '(none)')).join(' / ') : title;
    if (!categories.includes(category)) categories.push(category);
    if (!series.has(name)) series.set(name, new Map());
    series.get(name)!.set(category, row.value === null ? null : Number(row.value));
  }
  return {
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: series.size > 1 ? { bottom: 0 } : undefined,
    grid: { left: 60, right: 30, top: 50, bottom: series.size > 1 ? 60 : 40, containLabel: true },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: [...series].map(([name, points]) => ({
      name,
      type: query.grain ? 'line' : 'bar',
      data: categories.map((c) => points.get(c) ?? null),
    })),
  };
}

export function renderSvg(option: Record<string, unknown>): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
