// Killing any one service (SIGKILL, as a crash or an OOM kill would) while the stack runs loses no
// accepted customer message: once it is restarted the turn completes.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import type { ChatEvent, CustomerMessage } from '../../cli/src/chat/chat.client';
import type { ServiceName } from '../../cli/src/stack/local-stack';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const message = (text: string): CustomerMessage => ({
  clientMessageId: randomUUID(),
  customerId: `cust-crash-${RUN}`,
  channel: 'app',
  locale: 'en',
  text,
});
const RETURN_QUESTION = 'How do I return an item from a delivered order?';

describe('crash and restart of a single service', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
    await t.ingestRetailPolicy();
  }, 120_000);

  afterAll(async () => t?.close());

  async function botReply(turnId: string): Promise<{ id: string; content: string; metadata: { grounded: boolean; mode: string } }> {
    return waitFor(
      async () =>
        (await t.db.query(`select id, content, metadata from conversation.messages where turn_id = $1 and role = 'bot'`, [turnId])).rows[0],
      `the reply to turn ${turnId}`,
      90_000,
      250,
    );
  }

  it.each<ServiceName>(['moderation', 'retrieval', 'generation', 'conversation'])(
    'completes a turn accepted while %s was down',
    async (service) => {
      await t.stack.kill(service);
      const accepted = await t.chat.sendMessage(message(RETURN_QUESTION));
      // Let the turn get stuck on the missing service before it comes back.
      await new Promise((r) => setTimeout(r, 1500));
      t.stack.start(service);
      await t.stack.waitReady(service);
      const reply = await botReply(accepted.turnId);
      expect(reply.metadata).toMatchObject({ grounded: true, mode: 'extractive' });
      expect(t.plain('demo', 'conversation.messages.content', reply.content, reply.id)).toMatch(/return/i);
    },
    120_000,
  );

  it('keeps answering while integration is down, and integration comes back ready', async () => {
    // No turn depends on integration yet (the order tools come later); it must not be in the path.
    await t.stack.kill('integration');
    const accepted = await t.chat.sendMessage(message(RETURN_QUESTION));
    expect((await botReply(accepted.turnId)).metadata.grounded).toBe(true);
    t.stack.start('integration');
    await t.stack.waitReady('integration');
  }, 120_000);

  it('opens the ticket for a hand-off made while ticketing was down', async () => {
    await t.stack.kill('ticketing');
    const accepted = await t.chat.sendMessage(message('Please connect me to a human agent'));
    await botReply(accepted.turnId);
    t.stack.start('ticketing');
    await t.stack.waitReady('ticketing');
    const ticket = await waitFor(
      async () => (await t.db.query('select status from ticketing.tickets where conversation_id = $1', [accepted.conversationId])).rows[0],
      'the ticket',
      60_000,
    );
    expect(ticket.status).toBe('open');
  }, 120_000);

  it('completes a turn when the gateway dies right after accepting it; the retry replays it', async () => {
    const original = message(RETURN_QUESTION);
    const accepted = await t.chat.sendMessage(original);
    await t.stack.kill('gateway');
    t.stack.start('gateway');
    await t.stack.waitReady('gateway');
    // The adapter retries with the same client_message_id and gets the turn's events.
    const events: ChatEvent[] = [];
    for await (const e of t.chat.converse(original)) events.push(e);
    expect(events.every((e) => e.turnId === accepted.turnId)).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'reply', 'completed']);
    expect(events[1].reply!.text).toMatch(/return/i);
    expect((await botReply(accepted.turnId)).metadata.grounded).toBe(true);
  }, 120_000);
});
