// One ticket's conversation: the hand-off summary, the transcript (the bot's turns marked), the
// lifecycle actions (claim, take over, reply with canned responses, hand back, resolve), who else
// has it open, and the customer sidebar, all refetched through the gateway when the live channel says this ticket or conversation changed.
import { Alert, Badge, Button, Grid, Group, Paper, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type CustomerAccount, type Session, type Ticket, type Transcript } from './api';
import { unfilled, variablesOf, type CannedResponse } from './canned';
import { CustomerSidebar } from './CustomerSidebar';
import { dueColour, dueText, priorityColour, SHADES, slaRuns, useTime } from './format';
import { statusKey, useT, type TextKey } from './i18n';
import { useLiveNotices } from './live';
import { markMentionsSeen } from './Mentions';
import { Notes } from './Notes';
import { ReplyBox } from './ReplyBox';
import { Shortcuts } from './Shortcuts';
import { Suggestions } from './Suggestions';
import { Viewers } from './Viewers';

const ROLE_TEXT: Record<string, TextKey> = { customer: 'roleCustomer', bot: 'roleBot', agent: 'roleAgent', system: 'roleSystem' };
const ROLE_COLOUR: Record<string, string> = { customer: 'gray', bot: 'violet', agent: 'blue', system: 'yellow' };

export function Conversation({ ticketId, session }: { ticketId: string; session: Session }) {
  const t = useT();
  const time = useTime();
  const [ticket, setTicket] = useState<Ticket>();
  const [transcript, setTranscript] = useState<Transcript>();
  const [customer, setCustomer] = useState<CustomerAccount | 'unverified'>();
  const [error, setError] = useState<string>();
  const [reply, setReply] = useState('');
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState<string>();
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const noteBox = useRef<HTMLTextAreaElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const conversationId = ticket?.conversationId;

  const loadTicket = useCallback(async () => {
    try {
      setTicket(await api<Ticket>('GET', `/v1/agent/tickets/${ticketId}`));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [ticketId]);

  const loadConversation = useCallback(async () => {
    if (!conversationId) return;
    try {
      setTranscript(await api<Transcript>('GET', `/v1/agent/conversations/${conversationId}/transcript`));
    } catch (err) {
      setError((err as Error).message);
    }
    try {
      setCustomer(await api<CustomerAccount>('GET', `/v1/agent/conversations/${conversationId}/customer`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setCustomer('unverified');
      else setError((err as Error).message);
    }
  }, [conversationId]);

  useEffect(() => {
    void loadTicket();
  }, [loadTicket]);
  useEffect(() => {
    markMentionsSeen(ticketId).catch(() => undefined);
  }, [ticketId]);
  useEffect(() => {
    api<{ cannedResponses: CannedResponse[] }>('GET', '/v1/canned-responses').then(
      (r) => setCanned(r.cannedResponses),
      (err: Error) => setError(err.message),
    );
  }, []);
  useEffect(() => {
    void loadConversation();
  }, [loadConversation]);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [transcript?.messages.length]);

  useLiveNotices(
    (notice) => {
      if (notice === 'reconnected') return void loadTicket().then(loadConversation);
      if (notice.kind === 'ticket' && notice.ticketId === ticketId) void loadTicket();
      if (notice.kind === 'conversation' && notice.conversationId === conversationId) {
        void loadConversation();
        // A customer message is announced as the gateway accepts it; the conversation service stores
        // it a moment later, so look once more.
        if (notice.change === 'customerMessage') setTimeout(() => void loadConversation(), 1000);
      }
    },
    [ticketId, conversationId, loadTicket, loadConversation],
  );

  const act = async (name: string, call: () => Promise<unknown>) => {
    setBusy(name);
    setError(undefined);
    try {
      await call();
      await Promise.all([loadTicket(), loadConversation()]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const mine = ticket?.assigneeId === session.user.username;
  const held = transcript?.status === 'agent';
  const heldByMe = held && transcript?.agentId === session.user.username;
  const active = ticket && !['resolved', 'closed'].includes(ticket.status);
  const claim = () => act('claim', () => api('POST', `/v1/agent/tickets/${ticketId}/claim`));
  const takeOver = () => act('takeover', () => api('POST', `/v1/agent/conversations/${conversationId}/takeover`));
  const handBack = () => act('handback', () => api('POST', `/v1/agent/conversations/${conversationId}/handback`));
  const addNote = async (text: string) => {
    setError(undefined);
    try {
      setTicket(await api<Ticket>('POST', `/v1/agent/tickets/${ticketId}/notes`, { text }));
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  };
  const resolve = () => act('resolve', () => api('POST', `/v1/agent/tickets/${ticketId}/resolve`, resolution ? { resolution } : {}));
  const send = () => {
    const text = reply.trim();
    // Unfilled {{variables}} are shown under the box; they never reach a customer.
    if (!text || unfilled(text).length > 0) return;
    void act('send', async () => {
      await api('POST', `/v1/agent/conversations/${conversationId}/messages`, { text });
      setReply('');
      // What was done with the suggestion shown for this message, for the learning loop.
      if (draft.text && draft.forMessage) {
        const outcome = !usedDraft ? 'ignored' : text === usedDraft.trim() ? 'accepted' : 'edited';
        setUsedDraft('');
        await api('POST', `/v1/agent/conversations/${conversationId}/suggestion-use`, { turnId: draft.forMessage, outcome });
      }
    });
  };

  const lastCustomerTurn = [...(transcript?.messages ?? [])].reverse().find((m) => m.role === 'customer')?.turnId ?? '';
  const [draft, setDraft] = useState({ text: '', forMessage: '' });
  const [usedDraft, setUsedDraft] = useState('');
  const variables = useMemo(() => variablesOf(customer, transcript?.messages ?? []), [customer, transcript]);
  const acceptDraft = (text: string) => {
    setReply(text);
    setUsedDraft(text);
    replyBox.current?.focus();
  };

  useHotkeys([
    [
      'Escape',
      () => {
        window.location.hash = '#/';
      },
    ],
    [
      'u',
      () => {
        if (heldByMe && draft.text) acceptDraft(draft.text);
      },
    ],
    [
      'c',
      () => {
        if (active && !mine) void claim();
      },
    ],
    [
      't',
      () => {
        if (active && !held) void takeOver();
      },
    ],
    ['r', () => replyBox.current?.focus()],
    ['n', () => noteBox.current?.focus()],
    [
      'b',
      () => {
        if (heldByMe) void handBack();
      },
    ],
    [
      'x',
      () => {
        if (active) void resolve();
      },
    ],
  ]);

  if (!ticket)
    return error ? (
      <Alert color="red" title={t('error')} role="alert">
        {error}
      </Alert>
    ) : null;

  const holder = transcript?.status === 'closed' ? t('closed') : heldByMe ? t('heldByYou') : held ? t('heldByOther') : t('heldByBot');
  return (
    <Stack gap="sm">
      {/* The shortcuts move to their own line when the ticket's badges need the room. */}
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button component="a" href="#/" variant="subtle" size="xs">
            ← {t('back')}
          </Button>
          <Title order={2} size="h4">
            {ticket.customerId}
          </Title>
          <Badge color={priorityColour[ticket.priority] ?? 'gray'} variant="light">
            {t(ticket.priority as TextKey)}
          </Badge>
          <Badge variant="outline" data-testid="ticket-status">
            {t(statusKey(ticket.status))}
          </Badge>
          {slaRuns(ticket.status) && (
            <Badge color={dueColour(ticket.dueAt, Date.now())} variant="filled" autoContrast data-testid="ticket-sla">
              {dueText(ticket.dueAt, Date.now(), t)}
            </Badge>
          )}
          <Viewers ticketId={ticketId} />
        </Group>
        <Shortcuts
          items={[
            ['c', 'kClaim'],
            ['t', 'kTake'],
            ['r', 'kReply'],
            ['/', 'kCanned'],
            ['n', 'kNote'],
            ['u', 'kUse'],
            ['b', 'kHandBack'],
            ['x', 'kResolve'],
            ['Esc', 'kBack'],
            ['Shift+P', 'kPresence'],
          ]}
        />
      </Group>
      {error && (
        <Alert color="red" title={t('error')} role="alert" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={8}>
          <Stack gap="sm">
            <Paper withBorder p="sm" component="section" aria-label={t('summary')}>
              <Text size="sm" fw={600}>
                {t('summary')}
              </Text>
              <Text size="sm" data-testid="summary" style={{ whiteSpace: 'pre-wrap' }}>
                {ticket.summary}
              </Text>
              <Text size="xs" c="dimmed" mt={4}>
                {t('reason')}: {ticket.reason}
                {ticket.intent ? ` · ${t('intent')}: ${ticket.intent}` : ''} · {ticket.department} · {ticket.locale}
              </Text>
            </Paper>
            <Group gap="xs">
              <Button size="xs" onClick={() => void claim()} disabled={!active || mine} loading={busy === 'claim'}>
                {t('claim')} (c)
              </Button>
              <Button size="xs" onClick={() => void takeOver()} disabled={!active || held} loading={busy === 'takeover'}>
                {t('takeOver')} (t)
              </Button>
              <Button size="xs" variant="light" onClick={() => void handBack()} disabled={!heldByMe} loading={busy === 'handback'}>
                {t('handBack')} (b)
              </Button>
              <TextInput
                size="xs"
                aria-label={t('resolution')}
                placeholder={t('resolution')}
                value={resolution}
                onChange={(e) => setResolution(e.currentTarget.value)}
                w={220}
              />
              <Button size="xs" color={SHADES.green} onClick={() => void resolve()} disabled={!active} loading={busy === 'resolve'}>
                {t('resolve')} (x)
              </Button>
            </Group>
            <Paper withBorder p="sm" component="section" aria-label={t('transcript')}>
              <Group justify="space-between" mb="xs">
                <Text size="sm" fw={600}>
                  {t('transcript')}
                </Text>
                <Group gap="xs">
                  <Text size="xs" c="dimmed" data-testid="holder">
                    {holder}
                  </Text>
                  {transcript && (
                    <Badge size="xs" variant="light" color={transcript.contactDetails === 'clear' ? 'orange' : 'gray'}>
                      {transcript.contactDetails === 'clear' ? t('contactClear') : t('contactMasked')}
                    </Badge>
                  )}
                </Group>
              </Group>
              <ScrollArea h={330} type="auto">
                <Stack gap={6} data-testid="transcript" role="log" aria-live="polite">
                  {transcript?.messages.map((m, i) => (
                    <Group key={`${m.turnId}-${i}`} gap="xs" align="flex-start" wrap="nowrap" data-role={m.role}>
                      <Badge size="sm" color={ROLE_COLOUR[m.role] ?? 'gray'} variant={m.role === 'customer' ? 'light' : 'filled'} w={80}>
                        {t(ROLE_TEXT[m.role] ?? 'roleSystem')}
                      </Badge>
                      <Text size="sm" style={{ flex: 1, whiteSpace: 'pre-wrap' }}>
                        {m.text}
                      </Text>
                      <Text size="xs" c="dimmed" data-testid="message-time">
                        {time(m.createdAt)}
                      </Text>
                    </Group>
                  ))}
                  <div ref={end} />
                </Stack>
              </ScrollArea>
            </Paper>
            <ReplyBox
              value={reply}
              onChange={setReply}
              onSend={send}
              disabled={!heldByMe}
              responses={canned}
              variables={variables}
              boxRef={replyBox}
            />
            <Group justify="flex-end">
              <Button onClick={send} disabled={!heldByMe || !reply.trim() || unfilled(reply).length > 0} loading={busy === 'send'}>
                {t('send')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={4}>
          <Stack gap="sm">
            {conversationId && (
              <Suggestions
                conversationId={conversationId}
                lastCustomerTurn={lastCustomerTurn}
                onUse={heldByMe ? acceptDraft : undefined}
                onDraft={(text, forMessage) => setDraft({ text, forMessage })}
              />
            )}
            <CustomerSidebar customer={customer} ticket={ticket} />
            <Notes ticket={ticket} onAdd={addNote} boxRef={noteBox} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
