// Users (admins): who may sign in to the tenant, with which role and departments. Add, change and
// disable through GET/POST /v1/users and PATCH /v1/users/:id; the gateway checks every field and
// ends a changed or disabled user's sessions at once.
import { Badge, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from './api';
import {
  AdminFrame,
  AdminTable,
  ConfirmDialog,
  ErrorAlert,
  listOf,
  LoadState,
  outsideDialogs,
  useDateTime,
  useFormError,
  useLastDefined,
  useLoad,
} from './AdminParts';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';

interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departments: string[];
  disabled: boolean;
  createdAt: string;
}
const ROLES = ['agent', 'senior_agent', 'supervisor', 'admin'];
const roleKey = (role: string) => `role_${role}` as TextKey;

const loadUsers = async () => (await api<{ users: AdminUser[] }>('GET', '/v1/users')).users;

export function AdminUsers() {
  const t = useT();
  const dateTime = useDateTime();
  const { data: users = [], error, setError, reload: load, loading } = useLoad(loadUsers);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<AdminUser | 'new'>();
  const [disabling, setDisabling] = useState<AdminUser>();
  const filterBox = useRef<HTMLInputElement>(null);
  const disablingShown = useLastDefined(disabling);

  useHotkeys([
    ['n', outsideDialogs(() => setEditing('new'))],
    ['/', outsideDialogs(() => filterBox.current?.focus())],
  ]);
  const setDisabled = async (user: AdminUser, disabled: boolean) => {
    await api('PATCH', `/v1/users/${user.id}`, { disabled });
    await load();
  };

  const needle = filter.trim().toLowerCase();
  const shown = users.filter(
    (u) =>
      !needle ||
      u.username.includes(needle) ||
      u.displayName.toLowerCase().includes(needle) ||
      u.role.includes(needle) ||
      u.departments.some((d) => d.includes(needle)),
  );
  return (
    <AdminFrame
      route="/admin/users"
      shortcuts={[
        ['n', 'kNewUser'],
        ['/', 'kFilter'],
      ]}
      actions={
        <>
          <TextInput
            ref={filterBox}
            size="xs"
            aria-label={t('filter')}
            placeholder={t('filterUsers')}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={220}
          />
          <Button size="xs" onClick={() => setEditing('new')}>
            {t('addUser')}
          </Button>
        </>
      }
    >
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      <AdminTable
        label={t('adminUsers')}
        testId="users-table"
        head={[t('username'), t('name'), t('role'), t('departments'), t('status'), t('created'), t('actions')]}
        empty={shown.length === 0 && !loading && !error ? t('noUsers') : undefined}
      >
        {shown.map((u) => (
          <Table.Tr key={u.id} data-username={u.username} c={u.disabled ? 'dimmed' : undefined}>
            <Table.Td fw={600}>{u.username}</Table.Td>
            <Table.Td>{u.displayName || '—'}</Table.Td>
            <Table.Td>{t(roleKey(u.role))}</Table.Td>
            <Table.Td>{u.departments.join(', ') || t('allDepartments')}</Table.Td>
            <Table.Td>
              <Badge variant={u.disabled ? 'outline' : 'light'} color={u.disabled ? SHADES.grey : SHADES.green}>
                {u.disabled ? t('disabled') : t('active')}
              </Badge>
            </Table.Td>
            <Table.Td>{dateTime(u.createdAt)}</Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="light" onClick={() => setEditing(u)} aria-label={`${t('edit')} ${u.username}`}>
                  {t('edit')}
                </Button>
                {u.disabled ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => void setDisabled(u, false).catch((err: Error) => setError(err))}
                    aria-label={`${t('enable')} ${u.username}`}
                  >
                    {t('enable')}
                  </Button>
                ) : (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color={SHADES.red}
                    onClick={() => setDisabling(u)}
                    aria-label={`${t('disable')} ${u.username}`}
                  >
                    {t('disable')}
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <UserDialog
        user={editing}
        onClose={() => setEditing(undefined)}
        onSaved={async () => {
          setEditing(undefined);
          await load();
        }}
      />
      <ConfirmDialog
        opened={!!disabling}
        title={t('disableUserTitle', { name: disablingShown?.username ?? '' })}
        message={t('disableUserMessage')}
        confirm={t('disable')}
        onConfirm={() => setDisabled(disabling!, true)}
        onClose={() => setDisabling(undefined)}
      />
    </AdminFrame>
  );
}

/** Adds a user (`'new'`) or changes one: display name, role, departments and, if typed, the password. */
function UserDialog({ user, onClose, onSaved }: { user?: AdminUser | 'new'; onClose: () => void; onSaved: () => Promise<void> }) {
  const t = useT();
  const shown = useLastDefined(user);
  const creating = shown === 'new';
  const [form, setForm] = useState({ username: '', displayName: '', role: 'agent', departments: '', password: '' });
  const [busy, setBusy] = useState(false);
  const { form: formRef, alert, setError, invalid } = useFormError(['username', 'displayName', 'role', 'departments', 'password']);
  useEffect(() => {
    if (!user) return;
    setError(undefined);
    setForm(
      user === 'new'
        ? { username: '', displayName: '', role: 'agent', departments: '', password: '' }
        : {
            username: user.username,
            displayName: user.displayName,
            role: user.role,
            departments: user.departments.join(', '),
            password: '',
          },
    );
  }, [user, setError]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!user) return;
    setBusy(true);
    setError(undefined);
    const common = { displayName: form.displayName.trim(), role: form.role, departments: listOf(form.departments) };
    try {
      if (user === 'new') await api('POST', '/v1/users', { ...common, username: form.username.trim(), password: form.password });
      else await api('PATCH', `/v1/users/${user.id}`, form.password ? { ...common, password: form.password } : common);
      await onSaved();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const set = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: e.currentTarget.value });
  return (
    <Modal
      opened={!!user}
      onClose={onClose}
      title={shown === 'new' ? t('addUser') : t('editUser', { name: shown?.username ?? '' })}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <form ref={formRef} onSubmit={(e) => void save(e)}>
        <Stack gap="sm">
          {creating && (
            <TextInput
              label={t('username')}
              required
              data-autofocus
              value={form.username}
              onChange={set('username')}
              {...invalid('username')}
            />
          )}
          <TextInput
            label={t('name')}
            value={form.displayName}
            onChange={set('displayName')}
            {...invalid('displayName')}
            data-autofocus={!creating}
          />
          <NativeSelect
            label={t('role')}
            value={form.role}
            onChange={set('role')}
            {...invalid('role')}
            data={ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }))}
          />
          <TextInput
            label={t('departments')}
            description={t('departmentsHelp')}
            value={form.departments}
            onChange={set('departments')}
            {...invalid('departments')}
          />
          <PasswordInput
            label={creating ? t('password') : t('newPassword')}
            description={creating ? t('passwordHelp') : t('newPasswordHelp')}
            required={creating}
            value={form.password}
            onChange={set('password')}
            {...invalid('password')}
            autoComplete="new-password"
          />
          <ErrorAlert error={alert} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {creating ? t('addUser') : t('save')}
            </Button>
          </Group>
          {!creating && (
            <Text size="xs" c="dimmed">
              {t('userChangeSignsOut')}
            </Text>
          )}
        </Stack>
      </form>
    </Modal>
  );
}
