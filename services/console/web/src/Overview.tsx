// The support lead's overview (supervisors and admins): the desk now (OverviewNow.tsx), today's KPIs and the last 30 days' trend
// (days in the tenant's time zone, GET /v1/analytics/settings),
// from the analytics service through POST /v1/analytics/query — the same definitions and numbers
// a question on /v1/analytics/ask gets. It refetches when a ticket or conversation changes (the
// live channel), at most once a minute, and on "r".
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { timeIn, zonedDay } from './format';
import { useLang, useT, type TextKey } from './i18n';
import { useLiveNotices } from './live';
import { OverviewNow } from './OverviewNow';
import { Shortcuts } from './Shortcuts';

interface KpiAnswer {
  query: { metric: string } | null;
  rows: Array<Record<string, unknown> & { value: number | null }>;
  answer: string;
  chart: { svg: string } | null;
  definition: string;
}

/** Today's tiles, in the order a lead reads them: volume, the bot's share, quality, the desk. */
const TODAY: Array<{ metric: string; label: TextKey; unit: 'count' | 'rate' | 'score' }> = [
  { metric: 'conversations', label: 'kpiConversations', unit: 'count' },
  { metric: 'transfer_rate', label: 'kpiTransferRate', unit: 'rate' },
  { metric: 'bot_resolution_rate', label: 'kpiBotResolution', unit: 'rate' },
  { metric: 'csat', label: 'kpiCsat', unit: 'score' },
  { metric: 'tickets', label: 'kpiTickets', unit: 'count' },
  { metric: 'sla_breach_rate', label: 'kpiSlaBreach', unit: 'rate' },
];
const TRENDS: Array<{ metric: string; label: TextKey }> = [
  { metric: 'conversations', label: 'trendConversations' },
  { metric: 'transfer_rate', label: 'trendTransferRate' },
];
// Eight KPI queries a load; on a large tenant some take seconds (README, "Analytics"), and a busy
// tenant changes something every few seconds: once a minute keeps the overview from loading the
// database more than the people it serves.
const REFRESH_AFTER_CHANGE_MS = 60_000;

export function Overview() {
  const t = useT();
  const { lang } = useLang();
  const [today, setToday] = useState<Record<string, KpiAnswer>>({});
  const [trends, setTrends] = useState<Record<string, KpiAnswer>>({});
  const [error, setError] = useState<string>();
  const [loadedAt, setLoadedAt] = useState<Date>();
  const [timeZone, setTimeZone] = useState<string>();
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    lastLoad.current = Date.now();
    try {
      // The tenant's days: an admin may have changed the zone since the last load.
      const zone = (await api<{ timeZone: string }>('GET', '/v1/analytics/settings')).timeZone;
      setTimeZone(zone);
      const ask = (metric: string, from: string, grain: 'day' | null) =>
        api<KpiAnswer>('POST', '/v1/analytics/query', { query: { metric, from, to: zonedDay(1, zone), grain }, language: lang });
      const [tiles, charts] = await Promise.all([
        Promise.all(TODAY.map((k) => ask(k.metric, zonedDay(0, zone), null))),
        Promise.all(TRENDS.map((k) => ask(k.metric, zonedDay(-29, zone), 'day'))),
      ]);
      setToday(Object.fromEntries(TODAY.map((k, i) => [k.metric, tiles[i]])));
      setTrends(Object.fromEntries(TRENDS.map((k, i) => [k.metric, charts[i]])));
      setError(undefined);
      setLoadedAt(new Date());
    } catch (err) {
      setError((err as Error).message);
    }
  }, [lang]);
  useEffect(() => {
    void load();
  }, [load]);
  // Live: any ticket or conversation change may move a KPI; refetch, but not more than once a minute.
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveNotices(() => {
    if (pending.current) return;
    const wait = Math.max(0, lastLoad.current + REFRESH_AFTER_CHANGE_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void load();
    }, wait);
  }, [load]);
  useEffect(() => () => clearTimeout(pending.current), []);
  useHotkeys([['r', () => void load()]]);

  const format = (answer: KpiAnswer | undefined, unit: 'count' | 'rate' | 'score') => {
    const value = answer?.rows[0]?.value;
    if (value === null || value === undefined) return '—';
    if (unit === 'rate') return `${(value * 100).toFixed(1)}%`;
    if (unit === 'score') return value.toFixed(2);
    return value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
  };

  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between">
        <Title order={2}>{t('overview')}</Title>
        <Group gap="xs">
          {loadedAt && (
            <Text size="sm" c="dimmed" data-testid="overview-updated">
              {t('updatedAt', { time: timeIn(lang, loadedAt) })}
              {timeZone && ` · ${t('daysIn', { zone: timeZone })}`}
            </Text>
          )}
          <Button size="xs" variant="light" onClick={() => void load()}>
            {t('refresh')}
          </Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" title={t('error')}>
          {error}
        </Alert>
      )}
      <OverviewNow timeZone={timeZone} />
      <section aria-labelledby="today-heading">
        <Title order={3} size="h4" id="today-heading" mb="xs">
          {t('today')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          {TODAY.map((k) => (
            <Paper key={k.metric} withBorder p="sm" data-testid={`kpi-${k.metric}`} title={today[k.metric]?.definition}>
              <Text size="xs" c="dimmed">
                {t(k.label)}
              </Text>
              <Text size="xl" fw={700} data-testid="kpi-value">
                {format(today[k.metric], k.unit)}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </section>
      <section aria-labelledby="trend-heading">
        <Title order={3} size="h4" id="trend-heading" mb="xs">
          {t('last30Days')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {TRENDS.map((k) => {
            const trend = trends[k.metric];
            return (
              <Paper key={k.metric} withBorder p="sm" data-testid={`trend-${k.metric}`}>
                <Text size="sm" fw={600} mb="xs">
                  {t(k.label)}
                </Text>
                {trend?.chart ? (
                  // An <img>, not inline markup: nothing in the SVG can run in the console's page.
                  <img
                    src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(trend.chart.svg)}`}
                    alt={trend.answer}
                    style={{ width: '100%', height: 'auto' }}
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    {trend ? `${t('noTrendYet')} ${trend.answer}` : '…'}
                  </Text>
                )}
              </Paper>
            );
          })}
        </SimpleGrid>
      </section>
      <Shortcuts items={[['r', 'refresh']]} />
    </Stack>
  );
}
