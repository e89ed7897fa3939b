// Webhooks (admins): the endpoints the tenant's events are POSTed to (add, with the signing secret
// shown once; delete), and the deliveries that failed every attempt, with the last reason, to
// replay once the receiver is fixed. /v1/webhooks and /v1/webhooks/dead-letters.
import { Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState, type FormEvent } from 'react';
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
  SecretOnce,
  useDateTime,
  useFormError,
  useLastDefined,
  useLoad,
} from './AdminParts';
import { SHADES } from './format';
import { useT } from './i18n';

interface Endpoint {
  endpointId: string;
  url: string;
  eventTypes: string[];
  description: string;
  createdAt: string;
}
interface DeadLetter {
  deliveryId: string;
  endpointId: string;
  url: string;
  eventType: string;
  eventId: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

const loadWebhooks = async () => {
  const [list, dead] = await Promise.all([
    api<{ endpoints: Endpoint[] }>('GET', '/v1/webhooks'),
    api<{ deadLetters: DeadLetter[] }>('GET', '/v1/webhooks/dead-letters'),
  ]);
  return { endpoints: list.endpoints, deadLetters: dead.deadLetters };
};

export function AdminWebhooks() {
  const t = useT();
  const dateTime = useDateTime();
  const { data, error, setError, reload: load, loading } = useLoad(loadWebhooks);
  const { endpoints = [], deadLetters = [] } = data ?? {};
  const [notice, setNotice] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Endpoint>();
  const addButton = useRef<HTMLButtonElement>(null);
  const deletingShown = useLastDefined(deleting);

  useHotkeys([
    ['n', outsideDialogs(() => setAdding(true))],
    ['r', outsideDialogs(() => void load())],
  ]);
  const replay = async (d: DeadLetter) => {
    setNotice(undefined);
    try {
      await api('POST', `/v1/webhooks/dead-letters/${d.deliveryId}/replay`);
      setNotice(t('replayQueued', { event: d.eventType, url: d.url }));
      await load();
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <AdminFrame
      route="/admin/webhooks"
      shortcuts={[
        ['n', 'kNewWebhook'],
        ['r', 'refresh'],
      ]}
      actions={
        <>
          <Button size="xs" variant="light" onClick={() => void load()}>
            {t('refresh')}
          </Button>
          <Button ref={addButton} size="xs" onClick={() => setAdding(true)}>
            {t('addWebhook')}
          </Button>
        </>
      }
    >
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      <Notice message={notice} onClose={() => setNotice(undefined)} />
      <AdminTable
        label={t('adminWebhooks')}
        testId="webhooks-table"
        head={[t('url'), t('eventTypes'), t('description'), t('created'), t('actions')]}
        empty={endpoints.length === 0 && !loading && !error ? t('noWebhooks') : undefined}
      >
        {endpoints.map((w) => (
          <Table.Tr key={w.endpointId} data-endpoint-id={w.endpointId}>
            <Table.Td ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
              {w.url}
            </Table.Td>
            <Table.Td>{w.eventTypes.join(', ') || t('allEvents')}</Table.Td>
            <Table.Td>{w.description || '—'}</Table.Td>
            <Table.Td>{dateTime(w.createdAt)}</Table.Td>
            <Table.Td>
              <Button
                size="compact-xs"
                variant="subtle"
                color={SHADES.red}
                onClick={() => setDeleting(w)}
                aria-label={`${t('delete')} ${w.url}`}
              >
                {t('delete')}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <section aria-labelledby="dead-letters-heading">
        <Title order={3} size="h5" id="dead-letters-heading" mb={4}>
          {t('deadLetters')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('deadLettersHelp')}
        </Text>
        <AdminTable
          label={t('deadLetters')}
          testId="dead-letters-table"
          head={[t('eventType'), t('url'), t('attempts'), t('lastError'), t('failedAt'), t('actions')]}
          empty={deadLetters.length === 0 && !loading && !error ? t('noDeadLetters') : undefined}
        >
          {deadLetters.map((d) => (
            <Table.Tr key={d.deliveryId} data-delivery-id={d.deliveryId}>
              <Table.Td>{d.eventType}</Table.Td>
              <Table.Td ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                {d.url}
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>{d.lastError}</Table.Td>
              <Table.Td>{dateTime(d.failedAt)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => void replay(d)}
                  aria-label={`${t('replay')} ${d.eventType} → ${d.url}`}
                >
                  {t('replay')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      </section>
      <WebhookDialog opened={adding} onClose={() => setAdding(false)} onCreated={load} />
      <ConfirmDialog
        opened={!!deleting}
        title={t('deleteWebhookTitle', { url: deletingShown?.url ?? '' })}
        message={t('deleteWebhookMessage')}
        confirm={t('delete')}
        onConfirm={async () => {
          await api('DELETE', `/v1/webhooks/${deleting!.endpointId}`);
          await load();
        }}
        onClose={() => setDeleting(undefined)}
        focusAfter={addButton}
      />
    </AdminFrame>
  );
}

function WebhookDialog({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => Promise<void> }) {
  const t = useT();
  const empty = { url: '', eventTypes: '', description: '', secret: '' };
  const [fields, setFields] = useState(empty);
  const [secret, setSecret] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { form, alert, setError, invalid } = useFormError(['url', 'eventTypes', 'description', 'secret']);
  // The signing secret lives in this dialog's state only while it is open.
  const close = () => {
    setSecret(undefined);
    setFields(empty);
    setError(undefined);
    onClose();
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const made = await api<{ secret: string }>('POST', '/v1/webhooks', {
        url: fields.url.trim(),
        eventTypes: listOf(fields.eventTypes),
        description: fields.description.trim(),
        secret: fields.secret,
      });
      setSecret(made.secret);
      await onCreated();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const set = (field: keyof typeof fields) => (e: { currentTarget: { value: string } }) =>
    setFields({ ...fields, [field]: e.currentTarget.value });
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={secret ? t('webhookCreated') : t('addWebhook')}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      {secret ? (
        <SecretOnce secret={secret} onDone={close} />
      ) : (
        <form ref={form} onSubmit={(e) => void create(e)}>
          <Stack gap="sm">
            <TextInput
              label={t('url')}
              placeholder="https://example.com/hooks/switchboard"
              required
              data-autofocus
              value={fields.url}
              onChange={set('url')}
              {...invalid('url')}
            />
            <TextInput
              label={t('eventTypes')}
              description={t('eventTypesHelp')}
              placeholder="ticket.*, conversation.closed"
              value={fields.eventTypes}
              onChange={set('eventTypes')}
              {...invalid('eventTypes')}
            />
            <TextInput label={t('description')} value={fields.description} onChange={set('description')} {...invalid('description')} />
            <TextInput
              label={t('signingSecret')}
              description={t('signingSecretHelp')}
              value={fields.secret}
              onChange={set('secret')}
              {...invalid('secret')}
              autoComplete="off"
            />
            <ErrorAlert error={alert} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('addWebhook')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
