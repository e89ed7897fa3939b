// The overview's "now" row: what the desk holds this minute, in the supervisor's departments (the
// tickets API scopes them, as in the inbox) — conversations with a person (their ticket assigned or
// waiting on the customer), each department's queue (open tickets no one holds) — the SLA breaches
// among tickets due today (the sla_breach_rate KPI's definition, counted), and the conversations
// with the bot active lately (the conversation service's count and window; the whole tenant's,
// since a bot conversation has no department, and the card says so). It refetches
// on every ticket or conversation notice of the live channel (at most every few seconds) and
// every half minute besides, so an SLA passing unnoticed by any event still shows.
import { Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, currentSession, type Ticket } from './api';
import { zonedDay } from './format';
import { useLang, useT } from './i18n';
import { useLiveNotices } from './live';

// The tickets API's largest page; a fuller queue shows as "200+" rather than a wrong count.
const LIMIT = 200;
const MIN_GAP_MS = 3_000;
const EVERY_MS = 30_000;

interface Now {
  withBot: { count: number; windowMinutes: number };
  withPerson: number;
  withPersonCapped: boolean;
  queues: Array<{ department: string; open: number }>;
  queuesCapped: boolean;
  slaBreaches: number;
}

const DESK_ROLES = ['agent', 'senior_agent', 'supervisor'];

/** `timeZone`: the tenant's, which its days are counted in (unknown until the overview loaded it). */
export function OverviewNow({ timeZone }: { timeZone: string | undefined }) {
  const t = useT();
  const { lang } = useLang();
  const [now, setNow] = useState<Now>();
  const [error, setError] = useState<string>();
  const last = useRef(0);
  const user = currentSession()?.user;
  // An admin is not on the desk: the tickets API is for desk roles.
  const onDesk = DESK_ROLES.includes(user?.role ?? '');

  const load = useCallback(async () => {
    if (!timeZone) return;
    last.current = Date.now();
    const tickets = (status: string) =>
      onDesk ? api<{ tickets: Ticket[] }>('GET', `/v1/agent/tickets?status=${status}&limit=${LIMIT}`).then((r) => r.tickets ?? []) : [];
    try {
      const [withBot, open, assigned, waiting, sla] = await Promise.all([
        api<{ count: number; windowMinutes: number }>('GET', '/v1/analytics/bot-conversations'),
        tickets('open'),
        tickets('assigned'),
        tickets('waiting_on_customer'),
        api<{ rows: Array<{ value: number | null; n?: number }> }>('POST', '/v1/analytics/query', {
          query: {
            metric: 'sla_breach_rate',
            from: zonedDay(0, timeZone),
            to: zonedDay(1, timeZone),
            grain: null,
            ...(user?.departments.length ? { filters: { department: user.departments } } : {}),
          },
          language: lang,
        }),
      ]);
      const queues = new Map<string, number>((user?.departments ?? []).map((d) => [d, 0]));
      for (const ticket of open.filter((x) => !x.assigneeId)) queues.set(ticket.department, (queues.get(ticket.department) ?? 0) + 1);
      const row = sla.rows[0];
      setNow({
        withBot,
        withPerson: assigned.length + waiting.length,
        withPersonCapped: assigned.length === LIMIT || waiting.length === LIMIT,
        queues: [...queues]
          .map(([department, count]) => ({ department, open: count }))
          .sort((a, b) => a.department.localeCompare(b.department)),
        queuesCapped: open.length === LIMIT,
        // A rate over the tickets due today (none due: no rate, and no breach).
        slaBreaches: row?.value != null && row.n !== undefined ? Math.round(row.value * row.n) : 0,
      });
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [timeZone, lang, onDesk, user]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), EVERY_MS);
    return () => clearInterval(timer);
  }, [load]);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveNotices(() => {
    if (pending.current) return;
    pending.current = setTimeout(
      () => {
        pending.current = undefined;
        void load();
      },
      Math.max(0, last.current + MIN_GAP_MS - Date.now()),
    );
  }, [load]);
  useEffect(() => () => clearTimeout(pending.current), []);

  const count = (n: number | undefined, capped = false) =>
    n === undefined ? '…' : `${n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}${capped ? '+' : ''}`;
  return (
    <section aria-labelledby="now-heading">
      <Title order={3} size="h4" id="now-heading" mb="xs">
        {t('nowHeading')}
      </Title>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, lg: 4 }}>
        <Paper withBorder p="sm" data-testid="now-with-person" title={t('nowWithPersonHint')}>
          <Text size="xs" c="dimmed">
            {t('nowWithPerson')}
          </Text>
          <Text size="xl" fw={700} data-testid="now-value">
            {onDesk ? count(now?.withPerson, now?.withPersonCapped) : '—'}
          </Text>
        </Paper>
        <Paper withBorder p="sm" data-testid="now-with-bot" title={now && t('nowWithBotHint', { minutes: now.withBot.windowMinutes })}>
          <Text size="xs" c="dimmed">
            {t('nowWithBot')}
          </Text>
          <Text size="xl" fw={700} data-testid="now-value">
            {count(now?.withBot.count)}
          </Text>
          {now && (
            <Text size="xs" c="dimmed" data-testid="now-caption">
              {t('nowWithBotCaption', { minutes: now.withBot.windowMinutes })}
            </Text>
          )}
        </Paper>
        <Paper withBorder p="sm" data-testid="now-queues" title={t('nowQueuesHint')}>
          <Text size="xs" c="dimmed">
            {t('nowQueues')}
          </Text>
          {!onDesk && <Text size="sm">{t('nowDeskOnly')}</Text>}
          {onDesk && now?.queues.length === 0 && <Text size="xl">0</Text>}
          {onDesk &&
            now?.queues.map((q) => (
              <Group key={q.department} gap="xs" justify="space-between" data-testid="now-queue" data-department={q.department}>
                <Text size="sm">{q.department || t('noDepartment')}</Text>
                <Text size="sm" fw={700} data-testid="now-value">
                  {count(q.open, now.queuesCapped)}
                </Text>
              </Group>
            ))}
        </Paper>
        <Paper withBorder p="sm" data-testid="now-sla-breaches" title={t('nowSlaHint')}>
          <Text size="xs" c="dimmed">
            {t('nowSlaBreaches')}
          </Text>
          <Text size="xl" fw={700} data-testid="now-value">
            {count(now?.slaBreaches)}
          </Text>
        </Paper>
      </SimpleGrid>
    </section>
  );
}
