// Routing (admins): the tenant's departments and the ordered rules that send each hand-off's ticket
// to one with a priority (GET / PUT /v1/departments and /v1/routing-rules; ticketing routes the
// next hand-off by them at once). A department change is saved at once, each through a dialog (a
// removal after a confirmation), since the gateway refuses removing one a rule names or open
// tickets are in; the rules are edited as a draft in place (order matters: the first matching rule
// with a department decides) and saved whole, each refusal shown at the rule's field it names.
import { Badge, Button, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api } from './api';
import {
  AdminFrame,
  AdminTable,
  ConfirmDialog,
  ErrorAlert,
  listOf,
  LoadState,
  Notice,
  outsideDialogs,
  useFormError,
  useLastDefined,
  useLoad,
  useSubmit,
} from './AdminParts';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';

interface Department {
  id: string;
  name: string;
}
interface Rule {
  intents: string[];
  reasons: string[];
  locales: string[];
  tiers: string[];
  department: string | null;
  priority: string | null;
}
/** A rule as typed: the lists as comma-separated text; `key` keeps React's rows with their rule as it moves. */
interface DraftRule {
  key: number;
  intents: string;
  reasons: string;
  locales: string;
  tiers: string;
  department: string;
  priority: string;
}
const CONDITIONS = ['intents', 'reasons', 'locales', 'tiers'] as const;
const CONDITION_LABEL: Record<(typeof CONDITIONS)[number], TextKey> = {
  intents: 'rrIntents',
  reasons: 'rrReasons',
  locales: 'rrLocales',
  tiers: 'rrTiers',
};
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
/** The department every hand-off no rule places goes to; the gateway refuses removing it. */
const FALLBACK_DEPARTMENT = 'customer-support';

const loadDepartments = () => api<{ departments: Department[]; builtIn: boolean }>('GET', '/v1/departments');
const loadRules = () => api<{ rules: Rule[]; builtIn: boolean }>('GET', '/v1/routing-rules');

let nextKey = 0;
const draftOf = (r: Rule): DraftRule => ({
  key: nextKey++,
  intents: r.intents.join(', '),
  reasons: r.reasons.join(', '),
  locales: r.locales.join(', '),
  tiers: r.tiers.join(', '),
  department: r.department ?? '',
  priority: r.priority ?? '',
});
const ruleOf = (d: DraftRule): Rule => ({
  intents: listOf(d.intents),
  reasons: listOf(d.reasons),
  locales: listOf(d.locales),
  tiers: listOf(d.tiers),
  department: d.department || null,
  priority: d.priority || null,
});

export function AdminRouting() {
  const t = useT();
  const departments = useLoad(loadDepartments);
  const rules = useLoad(loadRules);
  const [editing, setEditing] = useState<Department | 'new'>();
  const [removing, setRemoving] = useState<Department>();
  const [restoring, setRestoring] = useState(false);
  const removingShown = useLastDefined(removing);
  const addRule = useRef<() => void>(() => undefined);
  const list = departments.data?.departments ?? [];

  useHotkeys([
    ['d', outsideDialogs(() => setEditing('new'))],
    ['n', outsideDialogs(() => addRule.current())],
  ]);
  const putDepartments = async (next: Department[]) => {
    await api('PUT', '/v1/departments', { departments: next });
    await departments.reload();
  };

  return (
    <AdminFrame
      route="/admin/routing"
      shortcuts={[
        ['d', 'kNewDepartment'],
        ['n', 'kNewRoutingRule'],
        ['Alt+↑ Alt+↓', 'kMoveRule'],
        ['Enter', 'kSaveRules'],
      ]}
    >
      <Text size="sm" c="dimmed">
        {t('rrHelp')}
      </Text>
      <Paper withBorder p="sm" component="section" aria-labelledby="departments-heading">
        <Stack gap="sm">
          <Group justify="space-between">
            <Group gap="xs">
              <Title order={3} size="h5" id="departments-heading">
                {t('departments')}
              </Title>
              {departments.data?.builtIn && <Badge variant="light">{t('rrBuiltIn')}</Badge>}
            </Group>
            <Group gap="xs">
              {departments.data && !departments.data.builtIn && (
                <Button size="xs" variant="subtle" onClick={() => setRestoring(true)}>
                  {t('rrUseBuiltInDepartments')}
                </Button>
              )}
              <Button size="xs" onClick={() => setEditing('new')}>
                {t('rrAddDepartment')}
              </Button>
            </Group>
          </Group>
          <LoadState loading={departments.loading} error={departments.error} onClose={() => departments.setError(undefined)} />
          <AdminTable label={t('departments')} testId="departments-table" minWidth={560} head={[t('rrId'), t('rrName'), t('actions')]}>
            {list.map((d) => (
              <Table.Tr key={d.id} data-department={d.id}>
                <Table.Td ff="monospace">{d.id}</Table.Td>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(d)} aria-label={`${t('rrRename')} ${d.id}`}>
                      {t('rrRename')}
                    </Button>
                    {d.id !== FALLBACK_DEPARTMENT && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color={SHADES.red}
                        onClick={() => setRemoving(d)}
                        aria-label={`${t('remove')} ${d.id}`}
                      >
                        {t('remove')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </AdminTable>
        </Stack>
      </Paper>
      <LoadState loading={rules.loading} error={rules.error} onClose={() => rules.setError(undefined)} />
      {rules.data && departments.data && <RulesForm current={rules.data} departments={list} onSaved={rules.reload} addRule={addRule} />}
      <DepartmentDialog
        department={editing}
        departments={list}
        onClose={() => setEditing(undefined)}
        onSave={async (next) => {
          await putDepartments(next);
          setEditing(undefined);
        }}
      />
      <ConfirmDialog
        opened={!!removing}
        title={t('rrRemoveDepartmentTitle', { id: removingShown?.id ?? '' })}
        message={t('rrRemoveDepartmentMessage')}
        confirm={t('remove')}
        onConfirm={() => putDepartments(list.filter((d) => d.id !== removing!.id))}
        onClose={() => setRemoving(undefined)}
      />
      <ConfirmDialog
        opened={restoring}
        title={t('rrUseBuiltInDepartments')}
        message={t('rrUseBuiltInDepartmentsMessage')}
        confirm={t('rrUseBuiltIn')}
        onConfirm={async () => {
          await api('PUT', '/v1/departments', { builtIn: true });
          await departments.reload();
        }}
        onClose={() => setRestoring(false)}
      />
    </AdminFrame>
  );
}

/** Adds a department (`'new'`: id and name) or renames one (the id stays: rules and tickets name it). */
function DepartmentDialog({
  department,
  departments,
  onClose,
  onSave,
}: {
  department?: Department | 'new';
  departments: Department[];
  onClose: () => void;
  onSave: (next: Department[]) => Promise<void>;
}) {
  const t = useT();
  const shown = useLastDefined(department);
  const creating = shown === 'new';
  const index = creating ? departments.length : departments.findIndex((d) => d.id === shown?.id);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const { form, alert, setError, invalid } = useFormError([`departments[${index}].id`, `departments[${index}].name`]);
  useEffect(() => {
    if (!department) return;
    setError(undefined);
    setId(department === 'new' ? '' : department.id);
    setName(department === 'new' ? '' : department.name);
  }, [department, setError]);
  const { submit, busy } = useSubmit(setError, () =>
    onSave(creating ? [...departments, { id: id.trim(), name }] : departments.map((d, i) => (i === index ? { ...d, name } : d))),
  );
  return (
    <Modal
      opened={!!department}
      onClose={onClose}
      title={creating ? t('rrAddDepartment') : t('rrRenameDepartment', { id: shown?.id ?? '' })}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <form ref={form} onSubmit={(e: FormEvent) => void submit(e)}>
        <Stack gap="sm">
          {creating && (
            <TextInput
              label={t('rrId')}
              description={t('rrIdHelp')}
              required
              data-autofocus
              value={id}
              onChange={(e) => setId(e.currentTarget.value)}
              {...invalid(`departments[${index}].id`)}
            />
          )}
          <TextInput
            label={t('rrName')}
            required
            data-autofocus={!creating}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            {...invalid(`departments[${index}].name`)}
          />
          <ErrorAlert error={alert} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {creating ? t('rrAddDepartment') : t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The ordered rules as a draft: add, edit in place, move (buttons or Alt+↑/↓), delete; saved whole. */
function RulesForm({
  current,
  departments,
  onSaved,
  addRule,
}: {
  current: { rules: Rule[]; builtIn: boolean };
  departments: Department[];
  onSaved: () => Promise<void>;
  addRule: { current: () => void };
}) {
  const t = useT();
  const [draft, setDraft] = useState<DraftRule[]>(() => current.rules.map(draftOf));
  const [restoring, setRestoring] = useState(false);
  // After an add or a move: the control to give the focus to once the rows are drawn again.
  const [focus, setFocus] = useState<{ key: number; col: string }>();
  const fields = draft.flatMap((_, i) => [`rules[${i}]`, ...[...CONDITIONS, 'department', 'priority'].map((c) => `rules[${i}].${c}`)]);
  const { form, alert, setError, at, invalid } = useFormError(fields);
  useEffect(() => setDraft(current.rules.map(draftOf)), [current]);
  useEffect(() => {
    if (!focus) return;
    form.current?.querySelector<HTMLElement>(`[data-rule-key="${focus.key}"] [data-col="${focus.col}"]`)?.focus();
    setFocus(undefined);
  }, [focus, form]);
  const { submit, busy, done, clearDone } = useSubmit(
    setError,
    () => api<{ rules: Rule[] }>('PUT', '/v1/routing-rules', { rules: draft.map(ruleOf) }),
    onSaved,
  );
  addRule.current = () => {
    const rule = draftOf({ intents: [], reasons: [], locales: [], tiers: [], department: null, priority: null });
    setDraft([...draft, rule]);
    setFocus({ key: rule.key, col: 'intents' });
  };
  const change = (i: number, patch: Partial<DraftRule>) => setDraft(draft.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1, col: string) => {
    const to = i + by;
    if (to < 0 || to >= draft.length) return;
    const next = [...draft];
    [next[i], next[to]] = [next[to], next[i]];
    setDraft(next);
    setFocus({ key: draft[i].key, col });
  };
  const onKeyDown = (i: number) => (e: KeyboardEvent<HTMLElement>) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(i, e.key === 'ArrowUp' ? -1 : 1, (e.target as HTMLElement).dataset.col ?? 'intents');
  };
  const departmentOptions = [
    { value: '', label: t('rrNoDepartment') },
    ...departments.map((d) => ({ value: d.id, label: `${d.name} (${d.id})` })),
    // A department the rules name but the list lacks still shows, so the draft never changes silently.
    ...draft
      .filter((r) => r.department && !departments.some((d) => d.id === r.department))
      .map((r) => ({ value: r.department, label: r.department })),
  ];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="rules-heading">
      <form ref={form} onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          <Group justify="space-between">
            <Group gap="xs">
              <Title order={3} size="h5" id="rules-heading">
                {t('rrRules')}
              </Title>
              {current.builtIn && <Badge variant="light">{t('rrBuiltIn')}</Badge>}
            </Group>
            <Group gap="xs">
              {!current.builtIn && (
                <Button size="xs" variant="subtle" onClick={() => setRestoring(true)}>
                  {t('rrUseBuiltInRules')}
                </Button>
              )}
              <Button size="xs" variant="light" onClick={() => addRule.current()}>
                {t('addRule')}
              </Button>
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            {t('rrRulesHelp')}
          </Text>
          <Stack component="ol" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {draft.map((r, i) => (
              <Paper
                key={r.key}
                component="li"
                withBorder
                p="xs"
                data-rule={i}
                data-rule-key={r.key}
                onKeyDown={onKeyDown(i)}
                aria-label={t('rrRuleN', { n: i + 1 })}
              >
                <Group justify="space-between" mb={4}>
                  <Text size="sm" fw={600}>
                    {t('rrRuleN', { n: i + 1 })}
                  </Text>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      data-col="up"
                      disabled={i === 0}
                      onClick={() => move(i, -1, 'up')}
                      aria-label={t('rrMoveUp', { n: i + 1 })}
                    >
                      ↑
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      data-col="down"
                      disabled={i === draft.length - 1}
                      onClick={() => move(i, 1, 'down')}
                      aria-label={t('rrMoveDown', { n: i + 1 })}
                    >
                      ↓
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color={SHADES.red}
                      onClick={() => setDraft(draft.filter((_, j) => j !== i))}
                      aria-label={t('rrDeleteRule', { n: i + 1 })}
                    >
                      {t('delete')}
                    </Button>
                  </Group>
                </Group>
                <SimpleGrid cols={{ base: 2, md: 3 }} spacing="xs" verticalSpacing={4}>
                  {CONDITIONS.map((c) => (
                    <TextInput
                      key={c}
                      size="xs"
                      label={t(CONDITION_LABEL[c])}
                      placeholder={t('rrAny')}
                      data-col={c}
                      value={r[c]}
                      onChange={(e) => change(i, { [c]: e.currentTarget.value })}
                      {...invalid(`rules[${i}].${c}`)}
                    />
                  ))}
                  <NativeSelect
                    size="xs"
                    label={t('department')}
                    data-col="department"
                    value={r.department}
                    onChange={(e) => change(i, { department: e.currentTarget.value })}
                    data={departmentOptions}
                    error={at(`rules[${i}].department`) ?? at(`rules[${i}]`)}
                    aria-invalid={at(`rules[${i}].department`) || at(`rules[${i}]`) ? true : undefined}
                  />
                  <NativeSelect
                    size="xs"
                    label={t('priority')}
                    data-col="priority"
                    value={r.priority}
                    onChange={(e) => change(i, { priority: e.currentTarget.value })}
                    data={[{ value: '', label: t('rrNoPriority') }, ...PRIORITIES.map((p) => ({ value: p, label: t(p) }))]}
                    {...invalid(`rules[${i}].priority`)}
                  />
                </SimpleGrid>
              </Paper>
            ))}
          </Stack>
          {draft.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('rrNoRules')}
            </Text>
          )}
          <Notice message={done && t('rrRulesSaved')} onClose={clearDone} />
          <ErrorAlert error={alert} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('rrSaveRules')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ConfirmDialog
        opened={restoring}
        title={t('rrUseBuiltInRules')}
        message={t('rrUseBuiltInRulesMessage')}
        confirm={t('rrUseBuiltIn')}
        onConfirm={async () => {
          await api('PUT', '/v1/routing-rules', { builtIn: true });
          await onSaved();
        }}
        onClose={() => setRestoring(false)}
      />
    </Paper>
  );
}
