import { parseQuestion } from './question-parser';
import { buildKpiSql } from '../kpi/kpi-sql';
import { chineseNumber, parsePeriod } from './time-expressions';

// A Wednesday.
const NOW = new Date('2026-11-18T10:00:00Z');
const period = (q: string) => {
  const { from, to } = parsePeriod(q, NOW);
  return [from, to];
};

describe('time expressions relative to now (UTC)', () => {
  it.each([
    ['today', '2026-11-18', '2026-11-19'],
    ['今天', '2026-11-18', '2026-11-19'],
    ['yesterday', '2026-11-17', '2026-11-18'],
    ['昨天', '2026-11-17', '2026-11-18'],
    ['this week', '2026-11-16', '2026-11-23'],
    ['本周', '2026-11-16', '2026-11-23'],
    ['这周', '2026-11-16', '2026-11-23'],
    ['last week', '2026-11-09', '2026-11-16'],
    ['上周', '2026-11-09', '2026-11-16'],
    ['this month', '2026-11-01', '2026-12-01'],
    ['本月', '2026-11-01', '2026-12-01'],
    ['last month', '2026-10-01', '2026-11-01'],
    ['上个月', '2026-10-01', '2026-11-01'],
    ['last 7 days', '2026-11-12', '2026-11-19'],
    ['past 7 days', '2026-11-12', '2026-11-19'],
    ['最近7天', '2026-11-12', '2026-11-19'],
    ['过去三十天', '2026-10-20', '2026-11-19'],
    ['in October', '2026-10-01', '2026-11-01'],
    ['10月', '2026-10-01', '2026-11-01'],
    // A month that has not started yet this year is last year's.
    ['in December', '2025-12-01', '2026-01-01'],
    ['十二月', '2025-12-01', '2026-01-01'],
    ['', '2026-10-20', '2026-11-19'],
  ])('%s', (q, from, to) => expect(period(q)).toEqual([from, to]));

  it('starts weeks on Monday even when now is a Sunday', () => {
    expect(parsePeriod('this week', new Date('2026-11-22T23:00:00Z'))).toMatchObject({ from: '2026-11-16', to: '2026-11-23' });
  });

  it('bounds "last N days": a huge N is a period validation refuses by name, not an invalid date', () => {
    const q = parseQuestion('transfer rate in the last 99999999 days', NOW);
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(() => buildKpiSql('acme', q.query, NOW)).toThrow(/at most 731 days/);
    expect(period('last 700 days')).toEqual(['2024-12-19', '2026-11-19']);
  });

  it('reads Chinese numerals', () => {
    expect([chineseNumber('七'), chineseNumber('十四'), chineseNumber('三十'), chineseNumber('十'), chineseNumber('12')]).toEqual([
      7, 14, 30, 10, 12,
    ]);
  });
});

describe("time expressions in the tenant's time zone", () => {
  it("counts today, yesterday and last week from the tenant's date, not UTC's", () => {
    const lateInUtc = new Date('2026-11-29T17:30:00Z'); // Monday 30 November, 01:30 in Shanghai
    expect(parsePeriod('today', lateInUtc)).toMatchObject({ from: '2026-11-29', to: '2026-11-30' });
    expect(parsePeriod('today', lateInUtc, 'Asia/Shanghai')).toMatchObject({ from: '2026-11-30', to: '2026-12-01' });
    expect(parsePeriod('yesterday', lateInUtc, 'Asia/Shanghai')).toMatchObject({ from: '2026-11-29', to: '2026-11-30' });
    expect(parsePeriod('last week', lateInUtc, 'Asia/Shanghai')).toMatchObject({ from: '2026-11-23', to: '2026-11-30' });
    const sql = buildKpiSql(
      'acme',
      { metric: 'conversations', group_by: [], filters: {}, from: '2026-11-30', to: '2026-12-01', grain: 'day' },
      lateInUtc,
      'Asia/Shanghai',
    );
    expect(sql.params.slice(1, 3)).toEqual([new Date('2026-11-29T16:00:00Z'), new Date('2026-11-30T16:00:00Z')]);
    expect(sql.params).toContain('Asia/Shanghai');
  });
});

describe('parseQuestion', () => {
  it("maps the issue's examples", () => {
    expect(parseQuestion('what was the transfer-to-human rate by intent last week?', NOW)).toMatchObject({
      ok: true,
      query: { metric: 'transfer_rate', group_by: ['intent'], filters: {}, from: '2026-11-09', to: '2026-11-16', grain: null },
    });
    expect(parseQuestion('上个月各渠道的满意度是多少？', NOW)).toMatchObject({
      ok: true,
      query: { metric: 'csat', group_by: ['channel'], filters: {}, from: '2026-10-01', to: '2026-11-01', grain: null },
    });
  });

  it.each([
    ['handoff rate', 'transfer_rate'],
    ['escalation rate', 'transfer_rate'],
    ['转人工率', 'transfer_rate'],
    ['满意度', 'csat'],
    ['CSAT', 'csat'],
    ['human first response time', 'human_first_response_time'],
    ['first response time', 'first_response_time'],
    ['bot resolution rate', 'bot_resolution_rate'],
    ['first contact resolution', 'fcr'],
    ['resolution time', 'resolution_time'],
    ['SLA breach rate', 'sla_breach_rate'],
    ['tickets', 'tickets'],
    ['会话数', 'conversations'],
  ])('"%s" is %s', (q, metric) => expect(parseQuestion(q, NOW)).toMatchObject({ ok: true, query: { metric } }));

  it('sets a grain for trends and filters on known values', () => {
    expect(parseQuestion('最近7天每天微信渠道的转人工率', NOW)).toMatchObject({
      ok: true,
      query: { grain: 'day', filters: { channel: ['wechat'] }, from: '2026-11-12' },
    });
    expect(parseQuestion('CSAT trend for VIP customers', NOW)).toMatchObject({
      ok: true,
      query: { grain: 'day', filters: { tier: ['vip'] } },
    });
  });

  it('refuses what it cannot map, naming what it understood', () => {
    const region = parseQuestion('transfer rate by region last week', NOW);
    expect(region).toMatchObject({ ok: false });
    expect(region.ok ? '' : region.reason).toMatch(/can't group by "region"/);
    expect(region.understood.join('; ')).toMatch(/transfer_rate.*last week/);
    expect(parseQuestion("what's the weather in Shanghai?", NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/did not recognise a measure/),
    });
    expect(parseQuestion('predict CSAT for next week', NOW)).toMatchObject({ ok: false });
  });
});

describe('values it does not know', () => {
  it('refuses rather than answer for everything', () => {
    expect(parseQuestion('CSAT on the telegram channel last week', NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/channel called "telegram"/),
    });
    expect(parseQuestion('tickets for the billing team', NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/team called "billing"/),
    });
    expect(parseQuestion('CSAT on the web channel last week', NOW)).toMatchObject({ ok: true, query: { filters: { channel: ['web'] } } });
    expect(parseQuestion('tickets for the orders team', NOW)).toMatchObject({ ok: true, query: { filters: { department: ['orders'] } } });
  });
});
