// What the admin screens (#/admin/*) share: their frame with the sub-navigation, the gateway's
// errors in words (at the field they name), a confirmation before anything destructive, a secret
// shown once, and a table that scrolls sideways on a tablet instead of squeezing its columns.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { ApiError } from './api';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';
import { Shortcuts } from './Shortcuts';

export const ADMIN_SCREENS: Array<{ route: string; label: TextKey }> = [
  { route: '/admin/users', label: 'adminUsers' },
  { route: '/admin/api-keys', label: 'adminApiKeys' },
  { route: '/admin/webhooks', label: 'adminWebhooks' },
  { route: '/admin/audit', label: 'adminAudit' },
];

export function AdminFrame({
  route,
  actions,
  shortcuts,
  children,
}: {
  route: string;
  actions?: ReactNode;
  shortcuts: Array<[string, TextKey]>;
  children: ReactNode;
}) {
  const t = useT();
  const current = ADMIN_SCREENS.find((s) => s.route === route) ?? ADMIN_SCREENS[0];
  return (
    <Stack gap="sm" maw={1400}>
      <Group gap={4} component="nav" aria-label={t('adminScreens')}>
        {ADMIN_SCREENS.map((s) => (
          <Button
            key={s.route}
            component="a"
            href={`#${s.route}`}
            size="compact-sm"
            variant={s === current ? 'outline' : 'subtle'}
            aria-current={s === current ? 'page' : undefined}
          >
            {t(s.label)}
          </Button>
        ))}
      </Group>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t(current.label)}
        </Title>
        <Group gap="xs">{actions}</Group>
      </Group>
      {children}
      <Shortcuts items={[...shortcuts, ['Shift+L', 'kLang']]} />
    </Stack>
  );
}

/**
 * The gateway's error for a form of `fields`: each "field problem" part (the gateway joins them
 * with "; ") shows at the input it names, the rest in the form's alert; the focus goes to the first
 * input marked invalid, so the keyboard is where the fix is.
 */
export function useFormError(fields: string[]) {
  const t = useT();
  const [error, setError] = useState<Error>();
  const form = useRef<HTMLFormElement>(null);
  const parts = error instanceof ApiError ? error.message.split('; ') : [];
  const fieldOf = (part: string) => fields.find((f) => part.startsWith(`${f} `));
  const rest = parts.filter((p) => !fieldOf(p));
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  const at = (field: string) =>
    parts
      .filter((p) => fieldOf(p) === field)
      .map((p) => p.slice(field.length + 1))
      .join('; ') || undefined;
  return {
    form,
    setError,
    /** The alert's error: what no input shows, or a pointer to the inputs that do. */
    alert: !error ? undefined : parts.length === 0 ? error : new Error(rest.length > 0 ? rest.join('; ') : t('fixFields')),
    /** The problem the gateway reported for `field`, without the field's name, if any. */
    at,
    /** An input's props for `field`: the problem under it, and aria-invalid (Mantine sets only data-invalid). */
    invalid: (field: string) => ({ error: at(field), 'aria-invalid': at(field) ? true : undefined }),
  };
}

export function ErrorAlert({ error, onClose }: { error?: Error; onClose?: () => void }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert color="red" title={t('error')} role="alert" withCloseButton={!!onClose} onClose={onClose} closeButtonLabel={t('close')}>
      {error.message}
    </Alert>
  );
}

/**
 * Asks before a destructive action; Cancel has the focus, so Enter alone never destroys. The
 * dialog gives the focus back to the button that opened it; when the action removed that button
 * (a revoked key has no Revoke), `focusAfter` takes it instead of the page's body.
 */
export function ConfirmDialog({
  opened,
  title,
  message,
  confirm,
  onConfirm,
  onClose,
  focusAfter,
}: {
  opened: boolean;
  title: string;
  message: string;
  confirm: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  focusAfter?: RefObject<HTMLElement | null>;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const close = () => {
    setError(undefined);
    onClose();
  };
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
      // After the modal's own focus return (10 ms), only if it found nothing to return to.
      setTimeout(() => {
        if (document.activeElement === document.body) focusAfter?.current?.focus();
      }, 50);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={title} closeButtonProps={{ 'aria-label': t('close') }}>
      <Stack gap="sm">
        <Text size="sm">{message}</Text>
        <ErrorAlert error={error} />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close} data-autofocus>
            {t('cancel')}
          </Button>
          <Button color={SHADES.red} loading={busy} onClick={() => void run()}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A secret the gateway hands out once (an API key, a webhook's signing secret), with a copy button. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useT();
  return (
    <Stack gap="sm">
      <Alert color={SHADES.orange} title={t('secretOnceTitle')} role="status">
        {t('secretOnce')}
      </Alert>
      <Code block data-testid="secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {secret}
      </Code>
      <Group justify="flex-end" gap="xs">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy} data-autofocus>
              {copied ? t('copied') : t('copy')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('secretStored')}</Button>
      </Group>
    </Stack>
  );
}

/** A list as a table with its column heads; on a narrow screen it scrolls rather than squeezes. */
export function AdminTable({
  label,
  testId,
  head,
  empty,
  minWidth = 760,
  children,
}: {
  label: string;
  testId: string;
  head: ReactNode[];
  empty?: string;
  minWidth?: number;
  children: ReactNode;
}) {
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table data-testid={testId} aria-label={label} highlightOnHover verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              {head.map((h, i) => (
                <Table.Th key={i}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {empty && (
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      )}
    </>
  );
}

/**
 * The last value that was not undefined: what a dialog shows while it fades out after its subject
 * was cleared (else its title would change, or empty, during the closing transition).
 */
export function useLastDefined<T>(value: T | undefined): T | undefined {
  const last = useRef(value);
  if (value !== undefined) last.current = value;
  return value ?? last.current;
}

/** A screen's hotkey, ignored while a dialog is open (its buttons would otherwise pass the key on). */
export const outsideDialogs = (run: () => void) => () => {
  if (!document.activeElement?.closest('[role="dialog"]')) run();
};

/** A comma-separated list as typed ("orders, billing") as the API's list. */
export const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '—';
