// The top bar's @mentions: the signed-in agent's unseen mentions in ticket notes, refetched when
// the live channel says a note was added (a notice names no one, so every desk refetches its own)
// and when a ticket is opened (that marks its mentions seen).
import { Button, Menu } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import { useTime } from './format';
import { useT } from './i18n';
import { useLiveNotices } from './live';

export interface Mention {
  id: string;
  ticketId: string;
  noteId: string;
  author: string;
  createdAt: string;
}

const SEEN = 'switchboard:mentions-seen';

/** Opening a ticket: its mentions are read. */
export async function markMentionsSeen(ticketId: string): Promise<void> {
  await api('POST', '/v1/agent/mentions/seen', { ticketId });
  window.dispatchEvent(new Event(SEEN));
}

export function Mentions() {
  const t = useT();
  const time = useTime();
  const [mentions, setMentions] = useState<Mention[]>([]);
  const load = useCallback(() => {
    api<{ mentions: Mention[] }>('GET', '/v1/agent/mentions').then(
      (r) => setMentions(r.mentions),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    load();
    window.addEventListener(SEEN, load);
    return () => window.removeEventListener(SEEN, load);
  }, [load]);
  useLiveNotices(
    (notice) => {
      if (notice === 'reconnected' || (notice.kind === 'ticket' && notice.change === 'noteAdded')) load();
    },
    [load],
  );

  // One entry per ticket: the newest mention.
  const byTicket = mentions.filter((m, i) => mentions.findIndex((x) => x.ticketId === m.ticketId) === i);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="xs"
          variant={mentions.length ? 'filled' : 'subtle'}
          color={mentions.length ? 'blue' : 'gray'}
          data-testid="mentions"
          aria-label={t('mentionsCount', { n: mentions.length })}
        >
          @ {mentions.length}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {byTicket.length === 0 && <Menu.Label>{t('noMentions')}</Menu.Label>}
        {byTicket.map((m) => (
          <Menu.Item key={m.id} component="a" href={`#/tickets/${m.ticketId}`} data-testid="mention">
            {t('mentionedYou', { author: m.author, at: time(m.createdAt) })}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
