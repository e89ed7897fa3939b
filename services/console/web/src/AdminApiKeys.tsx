// API keys (admins): what channel adapters and scripts use instead of a person's sign-in. Create
// (the key is shown once: the gateway keeps only its hash), set a key's own rate limit, revoke;
// /v1/api-keys.
import { Badge, Button, Checkbox, Group, Modal, NumberInput, Stack, Table, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from './api';
import {
  AdminFrame,
  AdminTable,
  ConfirmDialog,
  ErrorAlert,
  LoadState,
  outsideDialogs,
  SecretOnce,
  useDateTime,
  useFormError,
  useLastDefined,
  useLoad,
} from './AdminParts';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  requestsPerMinute: number | null;
  createdAt: string;
  revokedAt: string | null;
}
const SCOPES: Array<{ value: string; label: TextKey }> = [
  { value: 'chat', label: 'scopeChat' },
  { value: 'kb:admin', label: 'scopeAdmin' },
];

const loadKeys = async () => (await api<{ keys: ApiKey[] }>('GET', '/v1/api-keys')).keys;

export function AdminApiKeys() {
  const t = useT();
  const dateTime = useDateTime();
  const { data: keys = [], error, setError, reload: load, loading } = useLoad(loadKeys);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ApiKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const newButton = useRef<HTMLButtonElement>(null);
  const revokingShown = useLastDefined(revoking);

  useHotkeys([['n', outsideDialogs(() => setCreating(true))]]);
  // Active keys first, newest first: what an admin looks for; revoked ones stay for the record.
  const shown = [...keys].sort((a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.localeCompare(a.createdAt));

  return (
    <AdminFrame
      route="/admin/api-keys"
      shortcuts={[['n', 'kNewKey']]}
      actions={
        <Button ref={newButton} size="xs" onClick={() => setCreating(true)}>
          {t('newKey')}
        </Button>
      }
    >
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      <AdminTable
        label={t('adminApiKeys')}
        testId="keys-table"
        head={[t('keyName'), t('keyPrefix'), t('scopes'), t('rateLimit'), t('created'), t('status'), t('actions')]}
        empty={shown.length === 0 && !loading && !error ? t('noKeys') : undefined}
      >
        {shown.map((k) => (
          <Table.Tr key={k.id} data-key-id={k.id} c={k.revokedAt ? 'dimmed' : undefined}>
            <Table.Td fw={600}>{k.name}</Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {k.prefix}…
            </Table.Td>
            <Table.Td>{k.scopes.join(', ')}</Table.Td>
            <Table.Td>{k.requestsPerMinute === null ? t('defaultLimit') : t('perMinute', { n: k.requestsPerMinute })}</Table.Td>
            <Table.Td>{dateTime(k.createdAt)}</Table.Td>
            <Table.Td>
              {k.revokedAt ? (
                <Badge variant="outline" color={SHADES.grey} title={dateTime(k.revokedAt)}>
                  {t('revoked')}
                </Badge>
              ) : (
                <Badge variant="light" color={SHADES.green}>
                  {t('active')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              {!k.revokedAt && (
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => setEditing(k)}
                    aria-label={`${t('edit')} ${k.name} (${k.prefix})`}
                  >
                    {t('edit')}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color={SHADES.red}
                    onClick={() => setRevoking(k)}
                    aria-label={`${t('revoke')} ${k.name} (${k.prefix})`}
                  >
                    {t('revoke')}
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <NewKeyDialog opened={creating} onClose={() => setCreating(false)} onCreated={load} />
      <LimitDialog
        apiKey={editing}
        onClose={() => setEditing(undefined)}
        onSaved={async () => {
          setEditing(undefined);
          await load();
        }}
      />
      <ConfirmDialog
        opened={!!revoking}
        title={t('revokeKeyTitle', { name: revokingShown ? `${revokingShown.name} (${revokingShown.prefix}…)` : '' })}
        message={t('revokeKeyMessage')}
        confirm={t('revoke')}
        onConfirm={async () => {
          await api('DELETE', `/v1/api-keys/${revoking!.id}`);
          await load();
        }}
        onClose={() => setRevoking(undefined)}
        focusAfter={newButton}
      />
    </AdminFrame>
  );
}

/** A whole number typed into a NumberInput, or null when it is empty (the gateway's default). */
const limitOf = (value: string | number) => (value === '' ? null : Number(value));

function NewKeyDialog({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => Promise<void> }) {
  const t = useT();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['chat']);
  const [limit, setLimit] = useState<string | number>('');
  const [secret, setSecret] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { form, alert, setError, at, invalid } = useFormError(['name', 'scopes', 'requestsPerMinute']);
  // The key lives in this dialog's state only while it is open: closing forgets it for good.
  const close = () => {
    setSecret(undefined);
    setName('');
    setScopes(['chat']);
    setLimit('');
    setError(undefined);
    onClose();
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const made = await api<{ key: string }>('POST', '/v1/api-keys', { name, scopes, requestsPerMinute: limitOf(limit) });
      setSecret(made.key);
      await onCreated();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={secret ? t('keyCreated') : t('newKey')} closeButtonProps={{ 'aria-label': t('close') }}>
      {secret ? (
        <SecretOnce secret={secret} onDone={close} />
      ) : (
        <form ref={form} onSubmit={(e) => void create(e)}>
          <Stack gap="sm">
            <TextInput
              label={t('keyName')}
              description={t('keyNameHelp')}
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              {...invalid('name')}
            />
            <Checkbox.Group label={t('scopes')} value={scopes} onChange={setScopes} error={at('scopes')} withAsterisk>
              <Stack gap={6} mt={6}>
                {SCOPES.map((s) => (
                  <Checkbox key={s.value} value={s.value} label={`${s.value} · ${t(s.label)}`} />
                ))}
              </Stack>
            </Checkbox.Group>
            <NumberInput
              label={t('rateLimit')}
              description={t('rateLimitHelp')}
              value={limit}
              onChange={setLimit}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              {...invalid('requestsPerMinute')}
            />
            <ErrorAlert error={alert} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('createKey')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** A key's own requests-per-minute limit: the one thing about a key that can change. */
function LimitDialog({ apiKey, onClose, onSaved }: { apiKey?: ApiKey; onClose: () => void; onSaved: () => Promise<void> }) {
  const t = useT();
  const [limit, setLimit] = useState<string | number>('');
  const [busy, setBusy] = useState(false);
  const { form, alert, setError, invalid } = useFormError(['requestsPerMinute']);
  const shown = useLastDefined(apiKey);
  useEffect(() => {
    setError(undefined);
    setLimit(apiKey?.requestsPerMinute ?? '');
  }, [apiKey, setError]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api('PATCH', `/v1/api-keys/${apiKey!.id}`, { requestsPerMinute: limitOf(limit) });
      await onSaved();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={!!apiKey}
      onClose={onClose}
      title={t('editKey', { name: shown ? `${shown.name} (${shown.prefix}…)` : '' })}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <form ref={form} onSubmit={(e) => void save(e)}>
        <Stack gap="sm">
          <NumberInput
            label={t('rateLimit')}
            description={t('rateLimitHelp')}
            data-autofocus
            value={limit}
            onChange={setLimit}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            {...invalid('requestsPerMinute')}
          />
          <ErrorAlert error={alert} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
