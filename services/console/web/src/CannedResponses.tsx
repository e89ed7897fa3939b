// Canned responses: everyone keeps their own ("only me"); supervisors and admins also keep the
// team's. The gateway decides who may change what and checks the variables; this screen says so.
import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Session } from './api';
import { VARIABLES, type CannedResponse } from './canned';
import { SHADES } from './format';
import { useT } from './i18n';

const EMPTY = { shortcut: '', title: '', text: '', scope: 'personal' as CannedResponse['scope'] };

export function CannedResponses({ session }: { session: Session }) {
  const t = useT();
  const keepsTeamSet = session.user.role === 'supervisor' || session.user.role === 'admin';
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<CannedResponse>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      setItems((await api<{ cannedResponses: CannedResponse[] }>('GET', '/v1/canned-responses')).cannedResponses);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (call: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await call();
      setNotice(done);
      setForm(EMPTY);
      setEditing(undefined);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const { shortcut, title, text, scope } = form;
    void run(
      () =>
        editing
          ? api('PATCH', `/v1/canned-responses/${editing.id}`, { shortcut, title, text })
          : api('POST', '/v1/canned-responses', { shortcut, title, text, scope }),
      t('cannedSaved', { s: shortcut }),
    );
  };
  const edit = (r: CannedResponse) => {
    setEditing(r);
    setForm({ shortcut: r.shortcut, title: r.title, text: r.text, scope: r.scope });
  };
  const remove = (r: CannedResponse) =>
    void run(() => api('DELETE', `/v1/canned-responses/${r.id}`), t('cannedDeleted', { s: r.shortcut }));
  const mayChange = (r: CannedResponse) => r.scope === 'personal' || keepsTeamSet;

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('canned')}
      </Title>
      <Text size="sm">{t('cannedHelp', { vars: VARIABLES.map((v) => `{{${v}}}`).join(' ') })}</Text>
      <Paper withBorder p="sm" component="form" onSubmit={save} aria-label={editing ? t('cannedEdit') : t('cannedNew')}>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {editing ? t('cannedEdit') : t('cannedNew')}
          </Text>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('shortcut')}
              leftSection="/"
              required
              value={form.shortcut}
              w={200}
              onChange={(e) => setForm({ ...form, shortcut: e.currentTarget.value.toLowerCase() })}
            />
            <TextInput
              label={t('cannedTitle')}
              value={form.title}
              style={{ flex: 1 }}
              onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('scope')}
              value={form.scope}
              disabled={!!editing}
              w={220}
              onChange={(e) => setForm({ ...form, scope: e.currentTarget.value as CannedResponse['scope'] })}
              data={[
                { value: 'personal', label: t('scopePersonal') },
                ...(keepsTeamSet || editing?.scope === 'tenant' ? [{ value: 'tenant', label: t('scopeTenant') }] : []),
              ]}
            />
          </Group>
          <Textarea
            label={t('cannedText')}
            required
            autosize
            minRows={2}
            maxRows={6}
            value={form.text}
            onChange={(e) => setForm({ ...form, text: e.currentTarget.value })}
          />
          <Group gap="xs">
            <Button type="submit" size="xs">
              {t('save')}
            </Button>
            {editing && (
              <Button
                size="xs"
                variant="subtle"
                onClick={() => {
                  setEditing(undefined);
                  setForm(EMPTY);
                }}
              >
                {t('cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
      {notice && (
        <Alert color="green" role="status" data-testid="canned-notice">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" title={t('error')} role="alert" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      <Table data-testid="canned-table" aria-label={t('canned')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('shortcut')}</Table.Th>
            <Table.Th>{t('cannedTitle')}</Table.Th>
            <Table.Th>{t('cannedText')}</Table.Th>
            <Table.Th>{t('scope')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id} data-shortcut={r.shortcut}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  /{r.shortcut}
                </Text>
              </Table.Td>
              <Table.Td>{r.title}</Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {r.text}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="outline" color="gray">
                  {r.scope === 'personal' ? t('scopePersonal') : t('scopeTenant')}
                </Badge>
              </Table.Td>
              <Table.Td>
                {mayChange(r) && (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => edit(r)} aria-label={`${t('edit')} /${r.shortcut}`}>
                      {t('edit')}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color={SHADES.red}
                      onClick={() => remove(r)}
                      aria-label={`${t('delete')} /${r.shortcut}`}
                    >
                      {t('delete')}
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items.length === 0 && !error && <Text c="dimmed">{t('noCanned')}</Text>}
    </Stack>
  );
}
