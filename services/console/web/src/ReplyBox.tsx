// The reply box with its canned-response picker: "/" and the start of a shortcut list the matches
// (↑ ↓ to move, Enter or Tab to insert, Esc to close); the inserted text has its variables filled
// and says which are left for the agent to write (sending waits until they are).
import { Badge, Group, Paper, Text, Textarea } from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { useId, useState, type KeyboardEvent, type RefObject } from 'react';
import { fill, matching, slashAt, unfilled, type CannedResponse, type Variables } from './canned';
import { useT } from './i18n';

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  disabled: boolean;
  responses: CannedResponse[];
  variables: Variables;
  boxRef: RefObject<HTMLTextAreaElement | null>;
}

export function ReplyBox({ value, onChange, onSend, disabled, responses, variables, boxRef }: Props) {
  const t = useT();
  const listId = useId();
  const [slash, setSlash] = useState<{ start: number; query: string }>();
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number>();
  const options = slash ? matching(responses, slash.query) : [];
  const open = !!slash && options.length > 0 && dismissedAt !== slash.start;
  const left = unfilled(value);

  const choose = (response: CannedResponse) => {
    if (!slash) return;
    const inserted = fill(response.text, variables);
    onChange(value.slice(0, slash.start) + inserted + value.slice(slash.start + 1 + slash.query.length));
    setSlash(undefined);
    const caret = slash.start + inserted.length;
    requestAnimationFrame(() => boxRef.current?.setSelectionRange(caret, caret));
  };
  const track = (text: string, caret: number) => {
    const next = slashAt(text, caret);
    if (next?.start !== slash?.start || next?.query !== slash?.query) setActive(0);
    setSlash(next);
  };

  const keys = getHotkeyHandler([
    ['mod+Enter', onSend],
    ['Escape', () => boxRef.current?.blur()],
  ]);
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (move) {
        e.preventDefault();
        return setActive((i) => (i + move + options.length) % options.length);
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        return choose(options[Math.min(active, options.length - 1)]);
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        return setDismissedAt(slash.start);
      }
    }
    keys(e);
  };

  return (
    <div style={{ position: 'relative' }}>
      <Textarea
        ref={boxRef}
        label={t('reply')}
        placeholder={t('replyPlaceholder')}
        value={value}
        autosize
        minRows={2}
        maxRows={5}
        disabled={disabled}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          track(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onSelect={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        data-testid="reply"
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
      />
      {open && (
        <Paper
          withBorder
          shadow="md"
          p={4}
          id={listId}
          role="listbox"
          aria-label={t('cannedPicker', { q: slash.query })}
          data-testid="canned-picker"
          style={{ position: 'absolute', bottom: '100%', left: 0, right: 0, zIndex: 10, maxHeight: 260, overflowY: 'auto' }}
        >
          {options.map((r, i) => (
            <div
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
              style={{
                padding: '4px 8px',
                borderRadius: 4,
                cursor: 'pointer',
                background: i === active ? 'var(--mantine-color-blue-light)' : undefined,
              }}
            >
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={600}>
                  /{r.shortcut}
                </Text>
                <Text size="sm" style={{ flex: 1 }} lineClamp={1}>
                  {r.title}
                </Text>
                <Badge size="xs" variant="outline" color="gray">
                  {r.scope === 'personal' ? t('scopePersonal') : t('scopeTenant')}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {fill(r.text, variables)}
              </Text>
            </div>
          ))}
        </Paper>
      )}
      {left.length > 0 && (
        <Text size="sm" c="red.9" mt={4} role="status" data-testid="unfilled">
          {t('fillIn', { names: left.map((n) => `{{${n}}}`).join(', ') })}
        </Text>
      )}
    </div>
  );
}
