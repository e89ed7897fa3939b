// Internal notes on a ticket: never shown to the customer; "@name" mentions a colleague who can
// open the ticket (the gateway refuses anyone else, and the note is then not added). The notes
// arrive as the gateway answers them: masked for an L1 agent like the rest of the ticket.
import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { getHotkeyHandler } from '@mantine/hooks';
import { useState, type RefObject } from 'react';
import type { Ticket } from './api';
import { useTime } from './format';
import { useT } from './i18n';

const MENTION = /(?<![\w@.])(@[a-z0-9][a-z0-9._-]*[a-z0-9])/gi;

export function Notes({
  ticket,
  onAdd,
  boxRef,
}: {
  ticket: Ticket;
  onAdd: (text: string) => Promise<boolean>;
  boxRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const t = useT();
  const time = useTime();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    if (await onAdd(text.trim())) setText('');
    setBusy(false);
  };
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('notes')}>
      <Text size="sm" fw={600} mb="xs">
        {t('notes')}
      </Text>
      <Stack gap={6} data-testid="notes">
        {(ticket.notes ?? []).map((n) => (
          <div key={n.id} data-note-author={n.author}>
            <Text size="xs" c="dimmed">
              {n.author} · {time(n.createdAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.text.split(MENTION).map((part, i) =>
                i % 2 === 1 ? (
                  <Text key={i} span fw={700} c="blue.9">
                    {part}
                  </Text>
                ) : (
                  part
                ),
              )}
            </Text>
          </div>
        ))}
      </Stack>
      <Textarea
        ref={boxRef}
        mt="xs"
        label={t('addNote')}
        placeholder={t('notePlaceholder')}
        value={text}
        autosize
        minRows={1}
        maxRows={4}
        onChange={(e) => setText(e.currentTarget.value)}
        data-testid="note-box"
        onKeyDown={getHotkeyHandler([
          ['mod+Enter', () => void add()],
          ['Escape', () => boxRef.current?.blur()],
        ])}
      />
      <Group justify="flex-end" mt={4}>
        <Button size="xs" variant="light" onClick={() => void add()} disabled={!text.trim()} loading={busy}>
          {t('addNoteButton')}
        </Button>
      </Group>
    </Paper>
  );
}
