// The inbox: the user's queues (mine, unassigned, all), by department and status, most urgent
// first, SLA due coloured as it nears breach. Counts and rows follow the live channel. The
// user's saved views set the three filters at once.
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLoad } from './AdminParts';
import { api, type Session, type Ticket } from './api';
import { dueColour, dueText, priorityColour, SHADES, slaRuns } from './format';
import { statusKey, useT } from './i18n';
import { useLiveNotices } from './live';
import { Shortcuts } from './Shortcuts';

type Queue = 'mine' | 'unassigned' | 'all';
interface SavedView {
  id: string;
  name: string;
  filters: { queue: Queue; department: string; status: string };
}
const ACTIVE = ['open', 'assigned', 'waiting_on_customer'];
const NO_TICKETS: Ticket[] = [];

export function Inbox({ session }: { session: Session }) {
  const t = useT();
  const [error, setError] = useState<string>();
  const [queue, setQueue] = useState<Queue>(() => (sessionStorage.getItem('switchboard.queue') as Queue) ?? 'all');
  const [department, setDepartment] = useState('');
  const [status, setStatus] = useState('active');
  const [selected, setSelected] = useState(0);
  const [now, setNow] = useState(Date.now());
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [views, setViews] = useState<SavedView[]>([]);
  const [viewName, setViewName] = useState('');
  const viewBox = useRef<HTMLInputElement>(null);

  // useLoad keeps only the latest load's answer: a slow one for the old status filter (or a live
  // notice's) must not replace the list the agent just asked for.
  const fetchTickets = useCallback(async () => {
    const statuses = status === 'active' ? ACTIVE : [status];
    const lists = await Promise.all(statuses.map((s) => api<{ tickets: Ticket[] }>('GET', `/v1/agent/tickets?status=${s}&limit=200`)));
    return lists.flatMap((l) => l.tickets ?? []).sort(byUrgency);
  }, [status]);
  const reportLoad = useCallback((err: Error | undefined) => setError(err?.message), []);
  const { data: tickets = NO_TICKETS, reload } = useLoad(fetchTickets, reportLoad);
  const currentReload = useRef(reload);
  currentReload.current = reload;

  const loadViews = useCallback(async () => {
    try {
      setViews((await api<{ savedViews: SavedView[] }>('GET', '/v1/agent/saved-views')).savedViews);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void loadViews();
  }, [loadViews]);
  const saveView = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('POST', '/v1/agent/saved-views', { name: viewName, filters: { queue, department, status } });
      setViewName('');
      await loadViews();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const deleteView = async (view: SavedView) => {
    try {
      await api('DELETE', `/v1/agent/saved-views/${view.id}`);
      await loadViews();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const applyView = (view: SavedView) => {
    chooseQueue(view.filters.queue);
    setDepartment(view.filters.department);
    setStatus(view.filters.status);
  };
  const isCurrent = (view: SavedView) =>
    view.filters.queue === queue && view.filters.department === department && view.filters.status === status;
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(i);
  }, []);
  // A burst of events (a claim is assigned + status_changed) refetches once.
  useLiveNotices((notice) => {
    if (notice !== 'reconnected' && notice.kind !== 'ticket') return;
    clearTimeout(timer.current);
    // The load of the filter shown when the timer fires, not of the one when the notice came.
    timer.current = setTimeout(() => void currentReload.current(), 100);
  }, []);

  const inDepartment = useMemo(() => tickets.filter((x) => !department || x.department === department), [tickets, department]);
  const counts = {
    mine: inDepartment.filter((x) => x.assigneeId === session.user.username).length,
    unassigned: inDepartment.filter((x) => !x.assigneeId).length,
    all: inDepartment.length,
  };
  const shown = inDepartment.filter((x) => queue === 'all' || (queue === 'mine' ? x.assigneeId === session.user.username : !x.assigneeId));
  const departments = [...new Set([...session.user.departments, ...tickets.map((x) => x.department)])].sort();
  const chooseQueue = (q: Queue) => {
    sessionStorage.setItem('switchboard.queue', q);
    setQueue(q);
    setSelected(0);
  };
  const open = (ticket?: Ticket) => {
    if (ticket) window.location.hash = `#/tickets/${ticket.id}`;
  };

  useHotkeys([
    ['j', () => setSelected((i) => Math.min(i + 1, shown.length - 1))],
    ['k', () => setSelected((i) => Math.max(i - 1, 0))],
    ['Enter', () => open(shown[selected])],
    ['1', () => chooseQueue('mine')],
    ['2', () => chooseQueue('unassigned')],
    ['3', () => chooseQueue('all')],
    ['v', () => viewBox.current?.focus()],
  ]);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('inbox')}
        </Title>
        <Shortcuts
          items={[
            ['j k', 'kMove'],
            ['Enter', 'kOpen'],
            ['1 2 3', 'kQueues'],
            ['v', 'kView'],
            ['Shift+P', 'kPresence'],
            ['Shift+L', 'kLang'],
          ]}
        />
      </Group>
      <Group>
        <SegmentedControl
          value={queue}
          onChange={(v) => chooseQueue(v)}
          aria-label={t('inbox')}
          data-testid="queues"
          data={(['mine', 'unassigned', 'all'] as const).map((q) => ({ value: q, label: `${t(q)} (${counts[q]})` }))}
        />
        <NativeSelect
          aria-label={t('department')}
          value={department}
          onChange={(e) => setDepartment(e.currentTarget.value)}
          data={[{ value: '', label: t('anyDepartment') }, ...departments.map((d) => ({ value: d, label: d }))]}
        />
        <NativeSelect
          aria-label={t('status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: 'active', label: `${t('open')} · ${t('assigned')} · ${t('waiting_on_customer')}` },
            ...[...ACTIVE, 'resolved', 'closed'].map((s) => ({ value: s, label: t(statusKey(s)) })),
          ]}
        />
      </Group>
      <Group gap="xs" data-testid="saved-views" role="group" aria-label={t('savedViews')}>
        <Text size="sm" fw={600}>
          {t('savedViews')}
        </Text>
        {views.map((v) => (
          <Group key={v.id} gap={0} wrap="nowrap">
            <Button size="compact-sm" variant={isCurrent(v) ? 'filled' : 'light'} aria-pressed={isCurrent(v)} onClick={() => applyView(v)}>
              {v.name}
            </Button>
            <ActionIcon
              size="sm"
              variant="subtle"
              color={SHADES.grey}
              aria-label={t('deleteView', { name: v.name })}
              onClick={() => void deleteView(v)}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group component="form" gap={4} onSubmit={(e: FormEvent) => void saveView(e)} wrap="nowrap">
          <TextInput
            ref={viewBox}
            size="xs"
            aria-label={t('viewName')}
            placeholder={t('viewName')}
            value={viewName}
            onChange={(e) => setViewName(e.currentTarget.value)}
            w={180}
          />
          <Button type="submit" size="xs" variant="light" disabled={!viewName.trim()}>
            {t('saveView')}
          </Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" title={t('error')} role="alert">
          {error}
        </Alert>
      )}
      <Table highlightOnHover striped={false} data-testid="inbox-table" aria-label={t('inbox')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customer')}</Table.Th>
            <Table.Th>{t('reason')}</Table.Th>
            <Table.Th>{t('department')}</Table.Th>
            <Table.Th>{t('priority')}</Table.Th>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Th>{t('due')}</Table.Th>
            <Table.Th>{t('assignee')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((ticket, i) => (
            <Table.Tr
              key={ticket.id}
              data-ticket-id={ticket.id}
              data-conversation-id={ticket.conversationId}
              aria-current={i === selected ? 'true' : undefined}
              bg={i === selected ? 'var(--mantine-color-blue-light)' : undefined}
              onClick={() => open(ticket)}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td>
                <a href={`#/tickets/${ticket.id}`} onFocus={() => setSelected(i)}>
                  {ticket.customerId}
                </a>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1}>
                  {ticket.reason}
                  {ticket.intent ? ` · ${ticket.intent}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>{ticket.department}</Table.Td>
              <Table.Td>
                <Badge color={priorityColour[ticket.priority] ?? 'gray'} variant="light">
                  {t(ticket.priority as 'high')}
                </Badge>
              </Table.Td>
              <Table.Td>{t(statusKey(ticket.status))}</Table.Td>
              <Table.Td data-testid="sla">
                {slaRuns(ticket.status) ? (
                  <Badge color={dueColour(ticket.dueAt, now)} variant="filled" autoContrast>
                    {dueText(ticket.dueAt, now, t)}
                  </Badge>
                ) : (
                  <>
                    <span aria-hidden>—</span>
                    <VisuallyHidden>{t('slaStopped')}</VisuallyHidden>
                  </>
                )}
              </Table.Td>
              <Table.Td>{ticket.assigneeId === session.user.username ? t('mine') : ticket.assigneeId || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {shown.length === 0 && !error && <Text c="dimmed">{t('noTickets')}</Text>}
    </Stack>
  );
}

const RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
function byUrgency(a: Ticket, b: Ticket): number {
  return (RANK[a.priority] ?? 9) - (RANK[b.priority] ?? 9) || Date.parse(a.dueAt) - Date.parse(b.dueAt);
}
