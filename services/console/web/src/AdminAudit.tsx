// The audit log (admins): the tenant's entries newest first, filtered by action, actor and time
// (GET /v1/audit), and a check of the whole hash chain (GET /v1/audit/verify). The API pages by
// size only (newest first, at most 500), so "Show more" asks for the next hundred on top.
import { Alert, Badge, Button, Group, Paper, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from './api';
import { AdminFrame, AdminTable, ErrorAlert, outsideDialogs, useDateTime, useFormError, useLoad } from './AdminParts';
import { SHADES } from './format';
import { useT } from './i18n';

interface AuditEntry {
  seq: string;
  hash: string;
  event: {
    eventId: string;
    occurredAt: string;
    actor: { kind: string; id: string };
    action: string;
    resource: { type: string; id: string };
    outcome: string;
    detail: string;
  };
}
type Verification = { ok: true; checked: number } | { ok: false; checked: number; firstBrokenAt: number; problem: string };
const PAGE = 100;
const MAX = 500;

export function AdminAudit() {
  const t = useT();
  const dateTime = useDateTime();
  const [filters, setFilters] = useState({ action: '', actor: '', since: '' });
  const [applied, setApplied] = useState(filters);
  const [limit, setLimit] = useState(PAGE);
  const [verification, setVerification] = useState<Verification>();
  const [verifying, setVerifying] = useState(false);
  const { form, alert, setError, invalid } = useFormError(['action', 'actor', 'since', 'limit']);
  const actionBox = useRef<HTMLInputElement>(null);
  // An API key acts under its id; its name says what it is. Keys are few: one list, once.
  const [keyNames, setKeyNames] = useState<Record<string, string>>({});
  useEffect(() => {
    api<{ keys: Array<{ id: string; name: string }> }>('GET', '/v1/api-keys')
      .then(({ keys }) => setKeyNames(Object.fromEntries(keys.map((k) => [k.id, k.name]))))
      .catch(() => undefined); // the ids alone still say who it was
  }, []);

  const fetchEntries = useCallback(async () => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (applied.action) query.set('action', applied.action);
    if (applied.actor) query.set('actor', applied.actor);
    // datetime-local is the browser's local time; the API wants RFC 3339.
    if (applied.since) query.set('since', new Date(applied.since).toISOString());
    return (await api<{ entries: AuditEntry[] }>('GET', `/v1/audit?${query}`)).entries;
  }, [applied, limit]);
  // A refused filter (e.g. a bad actor) is the form's error, shown at its field.
  const { data: entries, reload: load } = useLoad(fetchEntries, setError);
  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api<Verification>('GET', '/v1/audit/verify'));
    } catch (err) {
      setError(err as Error);
    } finally {
      setVerifying(false);
    }
  };
  useHotkeys([
    ['/', outsideDialogs(() => actionBox.current?.focus())],
    ['r', outsideDialogs(() => void load())],
  ]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setLimit(PAGE);
    setApplied({ action: filters.action.trim(), actor: filters.actor.trim(), since: filters.since });
  };
  const set = (field: keyof typeof filters) => (e: { currentTarget: { value: string } }) =>
    setFilters({ ...filters, [field]: e.currentTarget.value });
  const rows = entries ?? [];

  return (
    <AdminFrame
      route="/admin/audit"
      shortcuts={[
        ['/', 'kFilter'],
        ['r', 'refresh'],
      ]}
      actions={
        <Button size="xs" onClick={() => void verify()} loading={verifying}>
          {t('verifyChain')}
        </Button>
      }
    >
      {verification && (
        <Alert
          color={verification.ok ? SHADES.green : SHADES.red}
          role="status"
          data-testid="chain-verdict"
          title={verification.ok ? t('chainIntact') : t('chainBroken')}
          withCloseButton
          closeButtonLabel={t('close')}
          onClose={() => setVerification(undefined)}
        >
          {verification.ok
            ? t('chainIntactDetail', { n: verification.checked })
            : t('chainBrokenDetail', { seq: verification.firstBrokenAt, problem: verification.problem, n: verification.checked })}
        </Alert>
      )}
      <Paper ref={form} withBorder p="sm" component="form" onSubmit={apply} aria-label={t('auditFilters')}>
        <Group align="flex-end" gap="sm">
          <TextInput
            ref={actionBox}
            label={t('auditAction')}
            placeholder="user.create"
            value={filters.action}
            onChange={set('action')}
            {...invalid('action')}
            w={200}
          />
          <TextInput
            label={t('auditActor')}
            placeholder={t('auditActorHelp')}
            value={filters.actor}
            onChange={set('actor')}
            {...invalid('actor')}
            w={220}
          />
          <TextInput
            type="datetime-local"
            label={t('auditSince')}
            value={filters.since}
            onChange={set('since')}
            {...invalid('since')}
            w={220}
          />
          <Button type="submit" variant="light">
            {t('applyFilters')}
          </Button>
        </Group>
      </Paper>
      <ErrorAlert error={alert} onClose={() => setError(undefined)} />
      <AdminTable
        label={t('adminAudit')}
        testId="audit-table"
        minWidth={1000}
        head={['#', t('auditTime'), t('auditActor'), t('auditAction'), t('auditResource'), t('auditOutcome'), t('auditDetail')]}
        empty={entries && rows.length === 0 && !alert ? t('noAuditEntries') : undefined}
      >
        {rows.map((e) => (
          <Table.Tr key={e.seq} data-action={e.event.action}>
            <Table.Td>
              <Tooltip label={`${t('auditHash')} ${e.hash}`} openDelay={300}>
                <Text ff="monospace" fz="xs" tabIndex={0}>
                  {e.seq}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(e.event.occurredAt)}</Table.Td>
            <Table.Td>
              {keyNames[e.event.actor.id] ?? e.event.actor.id}
              <Text span size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {' '}
                · {e.event.actor.kind}
                {keyNames[e.event.actor.id] && ` ${e.event.actor.id}`}
              </Text>
            </Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {e.event.action}
            </Table.Td>
            <Table.Td>
              {e.event.resource.type}
              {e.event.resource.id && (
                <Text span size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {' '}
                  {e.event.resource.id}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={e.event.outcome === 'ok' ? SHADES.green : SHADES.red}>
                {e.event.outcome === 'ok' ? t('outcomeOk') : t('outcomeRefused')}
              </Badge>
            </Table.Td>
            <Table.Td>{e.event.detail}</Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <Group gap="sm">
        <Text size="sm" c="dimmed" data-testid="audit-count">
          {t('auditShown', { n: rows.length })}
        </Text>
        {rows.length === limit && limit < MAX && (
          <Button size="xs" variant="light" onClick={() => setLimit(Math.min(limit + PAGE, MAX))}>
            {t('showMore')}
          </Button>
        )}
      </Group>
    </AdminFrame>
  );
}
