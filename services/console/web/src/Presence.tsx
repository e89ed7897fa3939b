// The top bar's presence: whether the signed-in desk user takes new tickets (online) or not (busy,
// away). Routing gives new tickets only to those online (docs/agents.md). A heartbeat every 30 s
// keeps it alive while the console is open; after a silence (a sleeping laptop) the gateway counts
// the user offline, and the next beat sets the status shown here again. The first time, a user is
// away: being signed in is not saying "give me work"; later sign-ins restore their last choice
// from this browser. Signing out sets away (api.ts). Shift+P steps through the three.
import { NativeSelect } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { api, type Session } from './api';
import { useT } from './i18n';

const STATUSES = ['online', 'busy', 'away'] as const;
type Status = (typeof STATUSES)[number];
interface MyPresence {
  status: Status | 'offline';
  since: string | null;
}

const HEARTBEAT_MS = 30_000;
const LABELS = { online: 'presenceOnline', busy: 'presenceBusy', away: 'presenceAway' } as const;
const isStatus = (v: unknown): v is Status => STATUSES.includes(v as Status);

export function Presence({ session }: { session: Session }) {
  const t = useT();
  const remembered = `switchboard.presence.${session.user.tenantId}.${session.user.username}`;
  const lastChoice = useCallback((): Status => {
    const last = localStorage.getItem(remembered);
    return isStatus(last) ? last : 'away';
  }, [remembered]);
  const [status, setStatus] = useState<Status>(lastChoice);
  const [error, setError] = useState<string>();

  const choose = useCallback(
    async (next: Status) => {
      setStatus(next);
      localStorage.setItem(remembered, next);
      try {
        await api<MyPresence>('PUT', '/v1/agent/presence', { status: next });
        setError(undefined);
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [remembered],
  );

  useEffect(() => {
    let open = true;
    // What the gateway holds wins (another tab may have changed it); offline means nobody said
    // anything for a while, so say again what this console shows. A failed beat waits for the next.
    const beat = () =>
      api<MyPresence>('POST', '/v1/agent/presence/heartbeat').then(
        (r) => {
          if (!open) return;
          if (isStatus(r.status)) setStatus(r.status);
          else void choose(lastChoice());
        },
        () => undefined,
      );
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    return () => {
      open = false;
      clearInterval(timer);
    };
  }, [choose, lastChoice]);

  useHotkeys([['shift+P', () => void choose(STATUSES[(STATUSES.indexOf(status) + 1) % STATUSES.length])]]);

  return (
    <NativeSelect
      size="xs"
      aria-label={t('presence')}
      data-testid="presence"
      data-status={status}
      value={status}
      error={error}
      onChange={(e) => void choose(e.currentTarget.value as Status)}
      data={STATUSES.map((s) => ({ value: s, label: t(LABELS[s]) }))}
    />
  );
}
