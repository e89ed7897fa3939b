// The audit log through every service: an agent's claim and transcript read (and a refused claim)
// reach ticketing's hash chain over Kafka; an admin lists them newest first and the chain verifies;
// another tenant's admin sees none of it.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import type { ChatEvent } from '../../cli/src/chat/chat.client';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

interface Entry {
  seq: string;
  prevHash: string;
  hash: string;
  event: { action: string; outcome: string; detail: string; actor: { kind: string; id: string }; resource: { type: string; id: string } };
}

describe('the audit log', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('records an agent claiming a ticket and reading its transcript, and verifies the chain', async () => {
    const agent = `ada-${randomUUID().slice(0, 8)}`;
    const asAgent = { headers: (await t.signIn(DEMO_TENANT, agent, 'agent')).headers };
    const admin = await t.createApiKey(DEMO_TENANT, ['kb:admin']);

    const events: ChatEvent[] = [];
    for await (const e of t.chat.converse({
      clientMessageId: randomUUID(),
      customerId: `cust-${randomUUID().slice(0, 8)}`,
      channel: 'web',
      locale: 'en-US',
      text: 'I would like to talk to a human agent please',
    }))
      events.push(e);
    const conversationId = events[0].conversationId;
    const ticket = await waitFor(async () => {
      const res = await t.rest('GET', '/v1/agent/tickets', asAgent);
      return (res.body.tickets as Array<Record<string, string>>).find((x) => x.conversationId === conversationId);
    }, 'the hand-off ticket');

    expect((await t.rest('POST', `/v1/agent/tickets/${ticket.id}/claim`, asAgent)).status).toBe(200);
    expect((await t.rest('GET', `/v1/agent/conversations/${conversationId}/transcript`, asAgent)).status).toBe(200);
    const missing = randomUUID();
    expect((await t.rest('POST', `/v1/agent/tickets/${missing}/claim`, asAgent)).status).toBe(404);

    const entries = await waitFor(async () => {
      const res = await t.rest('GET', `/v1/audit?actor=${agent}`, { key: admin });
      expect(res.status).toBe(200);
      const list = res.body.entries as Entry[];
      // Until the last action's entry is in: the ticket list may have been asked for several
      // times while the hand-off ticket was awaited, so four entries can come before it.
      const refused = list.some((e) => e.event.action === 'ticket.claim' && e.event.outcome === 'refused');
      return refused && list.length >= 4 && list;
    }, 'the agent audit entries');
    // Newest first: the refused claim, the transcript read, the claim, the ticket list(s).
    expect(entries[0].event).toMatchObject({
      action: 'ticket.claim',
      outcome: 'refused',
      detail: 'TICKET_NOT_FOUND',
      resource: { type: 'ticket', id: missing },
      actor: { kind: 'user', id: agent },
    });
    expect(entries[1].event).toMatchObject({
      action: 'conversation.transcript.read',
      outcome: 'ok',
      resource: { type: 'conversation', id: conversationId },
    });
    expect(entries[2].event).toMatchObject({ action: 'ticket.claim', outcome: 'ok', resource: { type: 'ticket', id: ticket.id } });
    expect(entries.slice(3).every((e) => e.event.action === 'ticket.list')).toBe(true);
    expect(Number(entries[0].seq)).toBeGreaterThan(Number(entries[1].seq));

    expect((await t.rest('GET', '/v1/audit?action=ticket.claim&limit=1', { key: admin })).body.entries).toHaveLength(1);
    const verified = await t.rest('GET', '/v1/audit/verify', { key: admin });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    expect(verified.body.checked).toBeGreaterThanOrEqual(4);

    // The events went through the gateway's outbox (so a Kafka outage delays them, not loses them),
    // encrypted at rest like every outbox payload.
    const staged = await waitFor(async () => {
      const { rows } = await t.db.query(
        `select payload, published_at from gateway.outbox where tenant_id = $1 and topic like '%audit.events.v1'`,
        [DEMO_TENANT],
      );
      return rows.length >= 4 && rows.every((r) => r.published_at !== null) && (rows as Array<{ payload: string }>);
    }, 'the audit events to be published from the gateway outbox');
    expect(staged.every((r) => r.payload.startsWith('enc:v2:'))).toBe(true); // v2: bound to its outbox row
    expect(staged.map((r) => r.payload).join('\n')).not.toContain(agent);

    // An agent is not an admin; another tenant's admin sees nothing of the demo tenant's log.
    expect((await t.rest('GET', '/v1/audit', asAgent)).status).toBe(403);
    const rival = await t.createTenant(`rival-${randomUUID().slice(0, 8)}`, ['kb:admin']);
    const rivalLog = await t.rest('GET', `/v1/audit?actor=${agent}`, { key: rival });
    expect(rivalLog.status).toBe(200);
    expect(rivalLog.body.entries).toEqual([]);
  });
});
