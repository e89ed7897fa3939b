// Team (admins): who of the desk is online, busy or away now (GET /v1/agent/presence) and how
// routing hands them new tickets (GET / PUT /v1/settings/routing: on or off, a cap per agent).
// An admin screen rather than a supervisor's: only an admin may change the routing setting (the
// gateway's rule: it is the tenant's, not a department's), and it is worth changing only while
// seeing whom it reaches, so the gateway shows an admin the whole tenant's presence. Supervisors
// read their own departments' presence through the same API; on this screen they could change nothing.
import { Badge, Button, Group, NumberInput, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api } from './api';
import {
  AdminFrame,
  AdminTable,
  ErrorAlert,
  LoadState,
  Notice,
  outsideDialogs,
  useDateTime,
  useFormError,
  useLoad,
  useSubmit,
} from './AdminParts';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';

interface Member {
  username: string;
  displayName: string;
  role: string;
  departments: string[];
  status: 'online' | 'busy' | 'away' | 'offline';
  since: string | null;
}
interface Routing {
  autoAssign: boolean;
  maxOpenPerAgent: number;
}
const STATUS: Record<Member['status'], { label: TextKey; color: string; order: number }> = {
  online: { label: 'presenceOnline', color: SHADES.green, order: 0 },
  busy: { label: 'presenceBusy', color: SHADES.orange, order: 1 },
  away: { label: 'presenceAway', color: SHADES.grey, order: 2 },
  offline: { label: 'presenceOffline', color: SHADES.grey, order: 3 },
};
/** Presence changes by the minute; the screen follows without a reload. */
const REFRESH_MS = 15_000;

const loadTeam = async () => (await api<{ presence: Member[] }>('GET', '/v1/agent/presence')).presence;
const loadRouting = () => api<Routing>('GET', '/v1/settings/routing');

export function AdminTeam() {
  const t = useT();
  const dateTime = useDateTime();
  const team = useLoad(loadTeam);
  const routing = useLoad(loadRouting);
  const { reload } = team;
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  useHotkeys([['r', outsideDialogs(() => void reload())]]);
  // Who can take a ticket first, then by name.
  const members = [...(team.data ?? [])].sort(
    (a, b) => STATUS[a.status].order - STATUS[b.status].order || a.username.localeCompare(b.username),
  );
  const online = members.filter((m) => m.status === 'online').length;

  return (
    <AdminFrame
      route="/admin/team"
      shortcuts={[['r', 'refresh']]}
      actions={
        <Button size="xs" variant="light" onClick={() => void reload()}>
          {t('refresh')}
        </Button>
      }
    >
      <LoadState loading={team.loading} error={team.error} onClose={() => team.setError(undefined)} />
      {team.data && (
        <Text size="sm" data-testid="team-summary">
          {t('teamSummary', { online, n: members.length })}
        </Text>
      )}
      <AdminTable
        label={t('adminTeam')}
        testId="team-table"
        minWidth={640}
        head={[t('name'), t('role'), t('departments'), t('status'), t('presenceSince')]}
        empty={!team.loading && !team.error && members.length === 0 ? t('noTeam') : undefined}
      >
        {members.map((m) => (
          <Table.Tr key={m.username} data-username={m.username} data-status={m.status}>
            <Table.Td>
              <Text span fw={600} size="sm">
                {m.displayName || m.username}
              </Text>
              {m.displayName && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  {m.username}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{t(`role_${m.role}` as TextKey)}</Table.Td>
            <Table.Td>{m.departments.join(', ') || t('allDepartments')}</Table.Td>
            <Table.Td>
              <Badge variant={m.status === 'offline' ? 'outline' : 'filled'} color={STATUS[m.status].color}>
                {t(STATUS[m.status].label)}
              </Badge>
            </Table.Td>
            <Table.Td>{m.since ? dateTime(m.since) : '—'}</Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <LoadState loading={routing.loading} error={routing.error} onClose={() => routing.setError(undefined)} />
      {routing.data && <RoutingForm current={routing.data} onSaved={routing.reload} />}
    </AdminFrame>
  );
}

/** Auto-assign on or off and the cap of open tickets per agent, saved together. */
function RoutingForm({ current, onSaved }: { current: Routing; onSaved: () => Promise<void> }) {
  const t = useT();
  const [autoAssign, setAutoAssign] = useState(current.autoAssign);
  const [cap, setCap] = useState<string | number>(current.maxOpenPerAgent);
  const { form, alert, setError, at, invalid } = useFormError(['autoAssign', 'maxOpenPerAgent']);
  useEffect(() => {
    setAutoAssign(current.autoAssign);
    setCap(current.maxOpenPerAgent);
  }, [current]);
  // An empty cap goes as null, so the gateway names the field rather than the console guessing.
  const { submit, busy, done, clearDone } = useSubmit(
    setError,
    () => api<Routing>('PUT', '/v1/settings/routing', { autoAssign, maxOpenPerAgent: cap === '' ? null : Number(cap) }),
    onSaved,
  );
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="routing-heading">
      <form ref={form} onSubmit={(e) => void submit(e)}>
        <Stack gap="sm" maw={560}>
          <Title order={3} size="h5" id="routing-heading">
            {t('routingSettings')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('routingHelp')}
          </Text>
          <Switch
            label={t('autoAssign')}
            checked={autoAssign}
            onChange={(e) => setAutoAssign(e.currentTarget.checked)}
            error={at('autoAssign')}
          />
          <NumberInput
            label={t('maxOpenPerAgent')}
            description={t('maxOpenPerAgentHelp')}
            value={cap}
            onChange={setCap}
            allowDecimal={false}
            allowNegative={false}
            maw={260}
            {...invalid('maxOpenPerAgent')}
          />
          <Notice message={done && t('routingSaved')} onClose={clearDone} />
          <ErrorAlert error={alert} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('saveRouting')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
