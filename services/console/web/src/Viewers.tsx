// Who else has this ticket open ("agent collision"): while the view is open it tells the gateway so
// every 10 s and shows the others it hears of; closing the view says goodbye (a closed tab is
// forgotten after 30 s anyway).
import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from './api';
import { useT, type TextKey } from './i18n';

interface Viewer {
  username: string;
  role: string;
  since: string;
}

const HEARTBEAT_MS = 10_000;

export function Viewers({ ticketId }: { ticketId: string }) {
  const t = useT();
  const [viewers, setViewers] = useState<Viewer[]>([]);
  useEffect(() => {
    let open = true;
    const path = `/v1/agent/tickets/${ticketId}/viewers/me`;
    // A failed beat changes nothing on screen: the next one (or the live channel's reconnect) catches up.
    const beat = () =>
      api<{ viewers: Viewer[] }>('PUT', path).then(
        (r) => open && setViewers(r.viewers),
        () => undefined,
      );
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    return () => {
      open = false;
      clearInterval(timer);
      api('DELETE', path).catch(() => undefined);
    };
  }, [ticketId]);
  const names = viewers.map((v) => `${v.username} (${t(`role_${v.role}` as TextKey)})`).join(', ');
  return (
    // Announced politely to screen readers when someone opens or leaves the ticket.
    <span aria-live="polite" data-testid="viewers">
      {viewers.length > 0 && (
        <Tooltip label={t('viewersHint')}>
          <Badge color="grape" variant="light" tt="none">
            {t('alsoViewing', { names })}
          </Badge>
        </Tooltip>
      )}
    </span>
  );
}
