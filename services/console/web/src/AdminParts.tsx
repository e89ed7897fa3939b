// What the admin screens (#/admin/*) share: their frame with the sub-navigation, loading a
// screen's data, the gateway's errors in words (at the field they name), a confirmation before
// anything destructive, a secret shown once, a table that scrolls sideways on a tablet instead of
// squeezing its columns, and dates in the UI's language.
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  type TextareaProps,
} from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ApiError } from './api';
import { SHADES } from './format';
import { useLang, useT, type TextKey } from './i18n';
import { Shortcuts } from './Shortcuts';

export const ADMIN_SCREENS: Array<{ route: string; label: TextKey }> = [
  { route: '/admin/users', label: 'adminUsers' },
  { route: '/admin/api-keys', label: 'adminApiKeys' },
  { route: '/admin/webhooks', label: 'adminWebhooks' },
  { route: '/admin/intents', label: 'adminIntents' },
  { route: '/admin/moderation', label: 'adminModeration' },
  { route: '/admin/style-guide', label: 'adminStyleGuide' },
  { route: '/admin/team', label: 'adminTeam' },
  { route: '/admin/routing', label: 'adminRouting' },
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
 * with "; "; the services behind it write "field: problem") shows at the input it names, the rest
 * in the form's alert; the focus goes to the first input marked invalid, so the keyboard is where
 * the fix is. A part about an item of a field ("words[2]: …") shows at the field, with the item.
 */
export function useFormError(fields: string[]) {
  const t = useT();
  const [error, setError] = useState<Error>();
  const form = useRef<HTMLFormElement>(null);
  const parts = error instanceof ApiError ? error.message.split('; ') : [];
  // The longest named field the part starts with ("rules[0].name", not "rules[0]").
  const fieldOf = (part: string) =>
    fields
      .filter((f) => part.startsWith(f) && /^[ :[.]/.test(part.slice(f.length)))
      .reduce<string | undefined>((best, f) => (best && best.length >= f.length ? best : f), undefined);
  const rest = parts.filter((p) => !fieldOf(p));
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  const at = (field: string) =>
    parts
      .filter((p) => fieldOf(p) === field)
      .map((p) => p.slice(field.length).replace(/^:?\s*/, ''))
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

/**
 * A form's submit: `send` to the gateway (busy meanwhile), its answer kept as `done` for the
 * screen's "saved" notice, then `after` (a reload); a refusal goes to `setError` (useFormError's,
 * so its problems show at their fields).
 */
export function useSubmit<R>(setError: (error: Error | undefined) => void, send: () => Promise<R>, after?: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<R>();
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    try {
      setDone(await send());
      await after?.();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, done, clearDone: () => setDone(undefined) };
}

/** That something worked (saved, queued), in words, until closed. */
export function Notice({ message, onClose }: { message?: string; onClose: () => void }) {
  const t = useT();
  if (!message) return null;
  return (
    <Alert color="green" role="status" withCloseButton closeButtonLabel={t('close')} onClose={onClose}>
      {message}
    </Alert>
  );
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

/** A list typed one item a line (words, rules) as the API's list: trimmed, no empty lines. */
export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

/** A list edited as text, one item a line (what `linesOf` reads); grows with its content. */
export function LinesInput(props: TextareaProps) {
  const t = useT();
  return <Textarea autosize minRows={2} maxRows={8} description={t('onePerLine')} {...props} />;
}

/** A comma-separated list as typed ("orders, billing") as the API's list. */
export const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A date and time as the chosen UI language writes it (not the browser's), '—' for none. */
export function useDateTime() {
  const { lang } = useLang();
  return useCallback(
    (iso: string | null | undefined) =>
      iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { dateStyle: 'short', timeStyle: 'short' }) : '—',
    [lang],
  );
}

/**
 * A screen's data from the gateway: fetched on mount, again by `reload` (and whenever `fetch`
 * changes, so it must be stable: module-level or useCallback). `data` is undefined while the first
 * load runs. A failure goes to `report` when given (a form's error, to show at its fields), else
 * to `error` for the screen's alert.
 */
export function useLoad<T>(fetch: () => Promise<T>, report?: (error: Error | undefined) => void) {
  const [data, setData] = useState<T>();
  const [ownError, setOwnError] = useState<Error>();
  const setError = report ?? setOwnError;
  // Only the latest load's answer is kept: an earlier one (other filters) may answer after it.
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const fetched = await fetch();
      if (mine !== latest.current) return;
      setData(fetched);
      setError(undefined);
    } catch (err) {
      if (mine === latest.current) setError(err as Error);
    }
  }, [fetch, setError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error: ownError, setError, reload, loading: data === undefined && !ownError };
}

/** The load's error as the screen's alert (closable), or a spinner while the first load runs. */
export function LoadState({ loading, error, onClose }: { loading: boolean; error?: Error; onClose: () => void }) {
  const t = useT();
  if (error) return <ErrorAlert error={error} onClose={onClose} />;
  // The spinner is a plain span to assistive technology, where aria-label is not allowed (axe's
  // aria-prohibited-attr): a status region announces the loading instead.
  return loading ? (
    <div role="status" aria-label={t('loading')}>
      <Loader size="sm" aria-hidden />
    </div>
  ) : null;
}
