// Answers from an OpenAI-compatible LLM through the whole stack, against a local server that
// speaks the wire protocol: replies stream token by token over Converse, no PII reaches the model
// or a log, a failing endpoint still leaves customers with a grounded answer, and a reply that
// breaks the tenant's rules is replaced, with an event naming the rule — and never shown in part.
import { randomUUID } from 'node:crypto';
import { Topics, type ConversationLifecycleEvent } from '@switchboard/contracts';
import { connectTestBus, startOpenAiWireServer, systemText, waitFor, wire, type OpenAiWireServer } from '@switchboard/testing';
import type { ChatEvent, CustomerMessage } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const API_KEY = 'sk-test-7f3a9c-never-log-me';
const ANSWER = 'You can return delivered items within 30 days [1]. Refunds go to the original payment method [1].';

describe('answering with an LLM', () => {
  let t: TestStack;
  let llm: OpenAiWireServer;
  let events: { close: () => Promise<void> };
  const lifecycle: ConversationLifecycleEvent[] = [];

  beforeAll(async () => {
    llm = await startOpenAiWireServer({ apiKey: API_KEY });
    // A model writes at its own pace; deltas that arrive together are sent together.
    llm.respondWith(() => wire.text(ANSWER, { chunks: 6, chunkDelayMs: 40 }));
    t = await startTestStack({
      env: {
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: API_KEY,
        LLM_MODEL: 'wire-test',
        LLM_TIMEOUT_MS: '1500',
        LLM_ANSWER_BUDGET_MS: '4000',
        LLM_RETRIES: '1',
        LLM_RETRY_BASE_MS: '50',
        LLM_BREAKER_MIN_CALLS: '2',
        LLM_BREAKER_RESET_MS: '8000',
      },
    });
    await t.ingestRetailPolicy();
    const observer = await connectTestBus('e2e-observer', t.namespace);
    await observer.bus.subscribe(Topics.conversationEvents, async ({ message }) => {
      lifecycle.push(message);
    });
    events = observer;
  }, 180_000);

  afterAll(async () => {
    await events?.close();
    await t?.close();
    await llm?.close();
  });

  async function converse(text: string, conversationId?: string): Promise<ChatEvent[]> {
    const message: CustomerMessage = {
      clientMessageId: randomUUID(),
      customerId: `cust-llm-${RUN}`,
      channel: 'web',
      locale: 'en-US',
      text,
      ...(conversationId ? { conversationId } : {}),
    };
    const all: ChatEvent[] = [];
    for await (const e of t.chat.converse(message)) all.push(e);
    return all;
  }

  it('streams the reply token by token over Converse, then the whole reply', async () => {
    const turn = await converse('How do I return an item from a delivered order?');
    const kinds = turn.map((e) => e.kind);
    expect(kinds[0]).toBe('accepted');
    expect(kinds.slice(-2)).toEqual(['reply', 'completed']);
    const deltas = turn.filter((e) => e.kind === 'delta').map((e) => e.delta!.text);
    // Sentence by sentence, each after the output check passed it.
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas[0]).toBe('You can return delivered items within 30 days [1].');
    const reply = turn.find((e) => e.kind === 'reply')!.reply!;
    expect(reply.mode).toBe('llm');
    // The whole reply is the streamed answer, then the offer to do what it was about.
    expect(reply.text).toBe(`${deltas.join('')}\n\nIf you'd like, I can return items for you here: just say "yes".`);
    expect(reply.grounded).toBe(true);
    expect(reply.sources.length).toBeGreaterThan(0);
  });

  it('never sends personal data to the model or writes it, or the API key, to a log', async () => {
    const email = 'jane.doe.4411@example.com';
    const phone = '+1 415 555 0134';
    const card = '4111 1111 1111 1111';
    const before = llm.chatRequests.length;
    await converse(`I'm ${email}, phone ${phone}, card ${card}. How do I return a delivered item?`);
    const sent = JSON.stringify(llm.chatRequests.slice(before).map((r) => r.body));
    expect(llm.chatRequests.length).toBeGreaterThan(before);
    expect(sent).toContain('[EMAIL]');
    for (const secret of [email, phone, card, '4111111111111111']) expect(sent).not.toContain(secret);
    const logs = t.logs();
    for (const secret of [email, phone, card, API_KEY]) expect(logs).not.toContain(secret);
  });

  it("lets the model read a verified customer's order, without ever showing it who the customer is", async () => {
    const first = await converse('Where is my order?');
    const c = first[0].conversationId;
    await converse('my email is yara.li6570@example.com', c);
    await converse('#W3400144', c);
    const before = llm.chatRequests.length;
    llm.enqueue(
      wire.toolCalls([{ name: 'get_order_details', arguments: { order_id: '#W3400144' } }]),
      wire.text('Your order #W3400144 is being processed, so its address can no longer be changed [1].', { chunks: 3 }),
    );
    const turn = await converse('Can I still change the shipping address of that order?', c);
    const reply = turn.find((e) => e.kind === 'reply')!.reply!;
    expect(reply.mode).toBe('llm');
    const requests = llm.chatRequests.slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[0].body!.tools!.map((tool) => tool.function.name).sort()).toEqual([
      'get_order_details',
      'get_product_details',
      'list_all_product_types',
    ]);
    const toolMessage = requests[1].body!.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage?.content)).toContain('processed');
    const sent = JSON.stringify(requests.map((r) => r.body));
    for (const secret of ['yara.li6570@example.com', 'yara_li_8961', 'Yara', '"Li"']) expect(sent).not.toContain(secret);
  });

  it("writes in the tenant's style, set through the admin API", async () => {
    const bad = await t.rest('PUT', '/v1/style-guide', { key: t.apiKey, json: { tone: 'warm', mood: 'cheerful' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/styleGuide/);
    const put = await t.rest('PUT', '/v1/style-guide', {
      key: t.apiKey,
      json: { tone: 'warm and brief, like a helpful neighbour', forbiddenPromises: ['a refund within 24 hours'] },
    });
    expect(put.status).toBe(200);
    expect((await t.rest('GET', '/v1/style-guide', { key: t.apiKey })).body.tone).toBe('warm and brief, like a helpful neighbour');
    const before = llm.chatRequests.length;
    await converse('How do I return an item from a delivered order?');
    const prompt = systemText(llm.chatRequests[before]);
    expect(prompt).toContain('warm and brief, like a helpful neighbour');
    expect(prompt).toContain('a refund within 24 hours');
  });

  it('has the LLM write the hand-off note, from nothing that identifies the customer', async () => {
    const first = await converse('Where is my order? My email is yara.li6570@example.com');
    const c = first[0].conversationId;
    await converse('#W2497857', c);
    const before = llm.chatRequests.length;
    llm.enqueue(wire.text('The customer checked delivered order #W2497857 and now wants a person; confirm what they need next.'));
    const handoff = await converse('I want to talk to a human agent please', c);
    expect(handoff.find((e) => e.kind === 'handoff')?.handoff?.reason).toBe('customer_asked');
    const ticket = await waitFor(
      async () => (await t.db.query('select id, summary from ticketing.tickets where conversation_id = $1', [c])).rows[0],
      'the ticket',
    );
    ticket.summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id);
    expect(ticket.summary).toMatch(/^The customer checked delivered order #W2497857 and now wants a person/);
    expect(ticket.summary).toContain('Customer: Yara (user yara_li_8961');
    const sent = JSON.stringify(llm.chatRequests.slice(before).map((r) => r.body));
    expect(sent).toContain('#W2497857');
    for (const secret of ['yara.li6570@example.com', 'yara_li_8961', 'Yara']) expect(sent).not.toContain(secret);
  });

  it('still answers from the knowledge base while the endpoint fails, and uses it again once it recovers', async () => {
    llm.respondWith(() => wire.error(500, { message: 'upstream exploded' }));
    // Every customer gets a grounded answer; after enough failures in the breaker's window (how
    // many depends on the successes before) the endpoint is no longer asked at all.
    let openAfter: number | undefined;
    for (let turn = 1; turn <= 10 && openAfter === undefined; turn += 1) {
      const asked = llm.chatRequests.length;
      const reply = (await converse('How do I exchange an item for a different size?')).find((e) => e.kind === 'reply')!.reply!;
      expect(reply.mode).toBe('extractive');
      expect(reply.grounded).toBe(true);
      expect(reply.text).toMatch(/exchange/i);
      if (llm.chatRequests.length === asked) openAfter = turn;
    }
    expect(openAfter).toBeGreaterThan(1);
    const asked = llm.chatRequests.length;
    const whileOpen = (await converse('Can I exchange a delivered item?')).find((e) => e.kind === 'reply')!.reply!;
    expect(whileOpen.mode).toBe('extractive');
    expect(llm.chatRequests.length).toBe(asked);

    llm.respondWith(() => wire.text(ANSWER, { chunks: 3 }));
    const recovered = await waitFor(
      async () => {
        const reply = (await converse('How do I return an item from a delivered order?')).find((e) => e.kind === 'reply')!.reply!;
        return reply.mode === 'llm' ? reply : undefined;
      },
      'the breaker to close again',
      30_000,
      1000,
    );
    expect(recovered.text.startsWith(ANSWER)).toBe(true);
  });

  it("replaces a reply that breaks the tenant's rules and says which rule fired", async () => {
    const put = await t.rest('PUT', '/v1/moderation/policy', {
      key: t.apiKey,
      json: {
        rules: [
          {
            name: 'no_refund_guarantees',
            direction: 'DIRECTION_OUTPUT',
            keywords: ['guaranteed refund'],
            action: 'ACTION_BLOCK',
            safeReply: 'Let me check that with our team.',
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    llm.respondWith(() => wire.text('You will get a guaranteed refund within 24 hours [1].', { chunks: 2 }));
    const turn = await waitFor(
      async () => {
        const all = await converse('Will I get my money back for a returned item?');
        return all.find((e) => e.kind === 'reply')!.reply!.text === 'Let me check that with our team.' ? all : undefined;
      },
      'the new policy to apply',
      20_000,
      500,
    );
    const reply = turn.find((e) => e.kind === 'reply')!.reply!;
    expect(reply.mode).toBe('moderation');
    const fired = await waitFor(
      () =>
        lifecycle.find(
          (e) => e.conversationId === turn[0].conversationId && e.kind.case === 'moderationApplied' && e.kind.value.direction === 'output',
        ),
      'the moderation event',
    );
    expect(fired.kind.value).toMatchObject({ action: 'block' });
    expect((fired.kind.value as { rules: string[] }).rules.join(' ')).toMatch(/no_refund_guarantees/);
    llm.respondWith(() => wire.text(ANSWER, { chunks: 6, chunkDelayMs: 40 }));
  });

  it('never streams to the customer what the output check blocks: a card number or a tenant-forbidden phrase mid-answer', async () => {
    const first = 'You can return delivered items within 30 days [1].';
    const safeReply = 'Let me check that warranty with our team.';
    const put = await t.rest('PUT', '/v1/moderation/policy', {
      key: t.apiKey,
      json: {
        rules: [
          {
            name: 'no_lifetime_warranty',
            direction: 'DIRECTION_OUTPUT',
            keywords: ['lifetime warranty'],
            action: 'ACTION_BLOCK',
            safeReply,
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    const forbidden = `${first} Every item also has a lifetime warranty [1]. Anything else?`;
    llm.respondWith(() => wire.text(forbidden, { chunks: 2 }));
    // Policies reach moderation within a second: the leak is checked on turns after that.
    await waitFor(
      async () => (await converse('Do returned items keep their warranty?')).find((e) => e.kind === 'reply')!.reply!.text === safeReply,
      'the new policy to apply',
      20_000,
      500,
    );

    const card = '4111 1111 1111 1111';
    const cases = [
      { leak: card, answer: `${first} The refund goes to your card ${card} on file [1]. Anything else?`, reply: /./ },
      { leak: 'lifetime warranty', answer: forbidden, reply: new RegExp(`^${safeReply}$`) },
    ];
    for (const { leak, answer, reply: expected } of cases) {
      // Small chunks: the model writes the leak across several deltas' worth of tokens.
      llm.respondWith(() => wire.text(answer, { chunks: 24, chunkDelayMs: 15 }));
      const turn = await converse('Where does my refund go?');
      const deltas = turn.filter((e) => e.kind === 'delta').map((e) => e.delta!.text);
      const shown = deltas.join('');
      expect(shown).not.toContain(leak);
      expect(shown.replace(/\s/g, '')).not.toContain(leak.replace(/\s/g, ''));
      // The sentence before it was checked and shown; the final reply is moderation's.
      expect(shown).toBe(first);
      const reply = turn.find((e) => e.kind === 'reply')!.reply!;
      expect(reply.mode).toBe('moderation');
      expect(reply.text).toMatch(expected);
      expect(reply.text).not.toContain(leak);
    }
    llm.respondWith(() => wire.text(ANSWER, { chunks: 6, chunkDelayMs: 40 }));
  });
});
