// The console's live channel: Server-Sent Events read with fetch (EventSource cannot send the
// Authorization header). Notices only say what changed (ids, kinds); listeners refetch through the
// gateway. Reconnects with backoff; every (re)connect is announced so views refetch what they
// may have missed.
import { useEffect, useState } from 'react';
import { currentSession, refresh } from './api';

export interface Notice {
  kind: 'ticket' | 'conversation';
  change: string;
  ticketId?: string;
  conversationId?: string;
  occurredAt: string;
}
type Listener = (notice: Notice | 'reconnected') => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(connected: boolean) => void>();
let connected = false;
let running: AbortController | undefined;

function setConnected(value: boolean) {
  connected = value;
  for (const l of stateListeners) l(value);
}

export function startLive(): void {
  if (running) return;
  const abort = (running = new AbortController());
  void (async () => {
    let delay = 500;
    while (!abort.signal.aborted) {
      try {
        const token = currentSession()?.accessToken;
        if (!token) return;
        const res = await fetch('/live', { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
        if (res.status === 401) {
          if (!(await refresh())) return;
          continue;
        }
        if (!res.ok || !res.body) throw new Error(`live channel: HTTP ${res.status}`);
        await read(res.body, () => {
          delay = 500;
        });
      } catch {
        // network error or server closed: retry below
      }
      setConnected(false);
      if (abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
}

export function stopLive(): void {
  running?.abort();
  running = undefined;
  setConnected(false);
}

async function read(body: ReadableStream<Uint8Array>, onOpen: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event === 'ready') {
        onOpen();
        setConnected(true);
        for (const l of listeners) l('reconnected');
      } else if (event === 'notice' && data) {
        const notice = JSON.parse(data) as Notice;
        for (const l of listeners) l(notice);
      } else if (event === 'expired') {
        await refresh();
        return;
      }
    }
  }
}

export function useLiveNotices(listener: Listener, deps: unknown[]): void {
  useEffect(() => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

export function useLiveConnected(): boolean {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    stateListeners.add(setValue);
    return () => {
      stateListeners.delete(setValue);
    };
  }, []);
  return value;
}
