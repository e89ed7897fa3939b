// generation.answer.v1 end to end: the real service over the real Kafka and Postgres, its LLM a
// local OpenAI wire-protocol server driven through the real `openai` SDK, and this test playing
// the conversation (the caller) and the integration service (the tools).
import { randomUUID } from 'node:crypto';
import {
  Action,
  CheckResultSchema,
  create,
  Direction,
  GetStyleGuideRequestSchema,
  ListToolsResultSchema,
  PassageSchema,
  PutStyleGuideRequestSchema,
  Rpcs,
  ToolCallResultSchema,
  type CheckRequest,
  type MessageInitShape,
  type ToolCallRequest,
} from '@switchboard/contracts';
import { serveRpc } from '@switchboard/messaging';
import { quietLogger, systemText, waitFor, wire, type WireRequest } from '@switchboard/testing';
import { startGenerationApp, type GenerationTestApp } from '../../test/generation-app';
import { composeExtractiveAnswer } from './extractive-answerer';

const RETURNS =
  "An order can only be returned if its status is 'delivered'. The refund goes to the original payment method or an existing gift card.";
const CANCEL =
  "An order can only be cancelled if its status is 'pending'. The refund of a cancelled order goes to the original payment method.";
const passages: Array<MessageInitShape<typeof PassageSchema>> = [
  { id: 'wiki:cancel', documentId: 'doc-7f3a', knowledgeBaseId: 'kb-policies', title: 'Cancel pending order', text: CANCEL, score: 0.4 },
  {
    id: 'wiki:returns',
    documentId: 'doc-7f3a',
    knowledgeBaseId: 'kb-policies',
    title: 'Return delivered order',
    text: RETURNS,
    score: 0.9,
  },
];
const RETURN_QUESTION = 'How do I return a delivered order?';

const ORDER_TOOLS = [
  {
    name: 'get_order_details',
    description: 'Get the status and details of an order.',
    parametersJsonSchema: JSON.stringify({ type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] }),
    consequential: false,
  },
  {
    name: 'cancel_pending_order',
    description: 'Cancel a pending order.',
    parametersJsonSchema: JSON.stringify({
      type: 'object',
      properties: { order_id: { type: 'string' }, reason: { type: 'string' } },
      required: ['order_id', 'reason'],
    }),
    consequential: true,
  },
  {
    name: 'find_user_id_by_email',
    description: 'Find a user id by email.',
    parametersJsonSchema: JSON.stringify({ type: 'object', properties: { email: { type: 'string' } } }),
    consequential: false,
  },
];

describe('generation.answer.v1 with an LLM', () => {
  let t: GenerationTestApp;
  const toolRequests: ToolCallRequest[] = [];
  const outputChecks: CheckRequest[] = [];

  beforeAll(async () => {
    t = await startGenerationApp({
      LLM_TIMEOUT_MS: '5000',
      LLM_RETRIES: '2',
      LLM_RETRY_BASE_MS: '50',
      LLM_RETRY_MAX_DELAY_MS: '2000',
      LLM_MAX_TOOL_ROUNDS: '2',
      // These tests are about answers, not the breaker (see circuit-breaker.int-spec.ts).
      LLM_BREAKER_MIN_CALLS: '1000',
      STREAM_CHECK_TIMEOUT_MS: '1000',
    });
    // The moderation service's output check, as far as these tests need it: "FORBIDDEN" stands
    // for anything a rule blocks, "SLOW" for a check that does not answer in time. The real
    // checker is in the whole-stack test (test/e2e/llm.int-spec.ts).
    await serveRpc(
      t.bus,
      Rpcs.moderationCheck,
      async (request) => {
        outputChecks.push(request);
        if (request.text.includes('SLOW')) await new Promise((resolve) => setTimeout(resolve, 2_000));
        const blocked = request.text.includes('FORBIDDEN');
        return create(CheckResultSchema, {
          action: blocked ? Action.BLOCK : Action.ALLOW,
          text: request.text,
          findings: blocked ? [{ rule: 'policy.test', category: 'policy', action: Action.BLOCK }] : [],
          safeReply: blocked ? 'Let me check.' : '',
        });
      },
      quietLogger(),
    );
    // The integration service, as far as these tests need it.
    await serveRpc(t.bus, Rpcs.integrationTools, async () => create(ListToolsResultSchema, { tools: ORDER_TOOLS }), quietLogger());
    await serveRpc(
      t.bus,
      Rpcs.integrationTool,
      async (request) => {
        toolRequests.push(request);
        if (request.operation === 'get_order_details')
          return create(ToolCallResultSchema, { ok: true, resultJson: JSON.stringify({ order_id: '#W2378156', status: 'pending' }) });
        return create(ToolCallResultSchema, {
          ok: false,
          error: 'cancel_pending_order changes the order: the customer must confirm it first',
        });
      },
      quietLogger(),
    );
  }, 120_000);

  afterAll(async () => t?.close());
  beforeEach(() => {
    t.llm.reset();
    outputChecks.length = 0;
  });

  it('streams the reply as deltas on conversation.outbound.v1, in order, adding up to the final text', async () => {
    const answer = "Returns are possible once the order is 'delivered' [1]. The refund goes to the original payment method [1].";
    t.llm.enqueue(wire.text(answer, { chunks: 6, chunkDelayMs: 25 }));
    const turnId = randomUUID();
    const result = await t.ask({ question: RETURN_QUESTION, passages, stream: true, turnId });

    expect(result).toMatchObject({
      text: answer,
      mode: 'llm',
      fallbackReason: '',
      grounded: true,
      citations: [{ passageId: 'wiki:returns', title: 'Return delivered order' }],
    });
    // Deltas are published before the answer is returned; they arrive in publication order.
    const deltas = await waitFor(() => t.deltasOf(turnId).join('') === answer && t.deltasOf(turnId), 'the deltas of the turn');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
    // One run of the answer, numbered from 1: what the gateway's delta gate needs to show each once.
    const [streamId] = t.deltaRunsOf(turnId)[0].split('/');
    expect(streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.deltaRunsOf(turnId)).toEqual(deltas.map((_, i) => `${streamId}/${i + 1}`));
    expect(t.llm.chatRequests[0]?.body?.stream).toBe(true);
  });

  it('shows each sentence only after the output check passed the whole reply up to it', async () => {
    const first = "Returns are possible once the order is 'delivered' [1].";
    const answer = `${first} The refund goes to the original payment method [1]. Questions?`;
    t.llm.enqueue(wire.text(answer, { chunks: 12, chunkDelayMs: 25 }));
    const turnId = randomUUID();
    await t.ask({ question: RETURN_QUESTION, passages, stream: true, turnId });

    const deltas = await waitFor(() => t.deltasOf(turnId).join('') === answer && t.deltasOf(turnId), 'the deltas of the turn');
    // Whole sentences only, each checked with everything shown before it.
    expect(deltas[0]).toBe(first);
    const checked = outputChecks.filter((c) => c.conversationId === outputChecks[0].conversationId);
    expect(checked.every((c) => c.direction === Direction.OUTPUT && c.tenantId === t.tenantId)).toBe(true);
    expect(checked.map((c) => c.text)).toEqual(deltas.map((_, i) => deltas.slice(0, i + 1).join('')));
  });

  it('never shows a sentence the output check blocks, nor anything after it', async () => {
    const answer = 'Returns are possible once delivered [1]. You get a FORBIDDEN promise [1]. And the rest is fine.';
    t.llm.enqueue(wire.text(answer, { chunks: 10, chunkDelayMs: 20 }));
    const turnId = randomUUID();
    const result = await t.ask({ question: RETURN_QUESTION, passages, stream: true, turnId });
    // The answer is the model's; the conversation's own output check replaces it as a whole.
    expect(result.text).toBe(answer);
    await waitFor(() => t.deltasOf(turnId).length > 0, 'the first sentence');
    expect(t.deltasOf(turnId).join('')).toBe('Returns are possible once delivered [1].');
    expect(outputChecks.at(-1)?.text).toContain('FORBIDDEN');
  });

  it('shows nothing unchecked when the output check does not answer in time', async () => {
    t.llm.enqueue(wire.text('This is SLOW to check [1]. Later text [1].', { chunks: 4, chunkDelayMs: 20 }), wire.text('Marker.'));
    const conversationId = randomUUID();
    const turnId = randomUUID();
    const marker = randomUUID();
    const result = await t.ask({ question: RETURN_QUESTION, passages, stream: true, conversationId, turnId });
    expect(result.mode).toBe('llm');
    await t.ask({ question: RETURN_QUESTION, passages, stream: true, conversationId, turnId: marker });
    await waitFor(() => t.deltasOf(marker).join('') === 'Marker.', 'the marker turn');
    expect(t.deltasOf(turnId)).toEqual([]);
  });

  it('publishes no deltas unless streaming was asked for', async () => {
    t.llm.enqueue(wire.text('Quiet answer [1].'));
    const turnId = randomUUID();
    expect((await t.ask({ question: RETURN_QUESTION, passages, turnId })).text).toBe('Quiet answer [1].');
    // A later streamed turn of the same conversation (same partition) proves the first left nothing behind.
    const conversationId = randomUUID();
    const marker = randomUUID();
    const quiet = randomUUID();
    t.llm.enqueue(wire.text('Not streamed.'), wire.text('Streamed.'));
    await t.ask({ question: RETURN_QUESTION, passages, conversationId, turnId: quiet });
    await t.ask({ question: RETURN_QUESTION, passages, conversationId, turnId: marker, stream: true });
    await waitFor(() => t.deltasOf(marker).join('') === 'Streamed.', 'the marker turn');
    expect(t.deltasOf(quiet)).toEqual([]);
    expect(t.deltasOf(turnId)).toEqual([]);
  });

  it('calls the integration tools the model asks for, feeds the results back and records the calls', async () => {
    t.llm.enqueue(
      wire.toolCalls([{ name: 'get_order_details', arguments: { order_id: '#W2378156' } }]),
      wire.toolCalls([{ name: 'cancel_pending_order', arguments: { order_id: '#W2378156', reason: 'no longer needed' } }]),
      wire.text('Your order #W2378156 is still pending, so it can be cancelled [1]. Shall I cancel it? Please confirm.'),
    );
    const conversationId = randomUUID();
    toolRequests.length = 0;
    const result = await t.ask({
      question: 'Please cancel my order #W2378156',
      passages,
      conversationId,
      tools: ['get_order_details', 'cancel_pending_order'],
      verifiedUserId: 'user_8f2',
    });

    expect(result.mode).toBe('llm');
    expect(result.text).toMatch(/Please confirm/);
    expect(result.toolCalls.map(({ operation, argumentsJson, ok }) => ({ operation, argumentsJson, ok }))).toEqual([
      { operation: 'get_order_details', argumentsJson: '{"order_id":"#W2378156"}', ok: true },
      { operation: 'cancel_pending_order', argumentsJson: '{"order_id":"#W2378156","reason":"no longer needed"}', ok: false },
    ]);
    // The integration service saw the verified user and, for the consequential call too, no confirmation.
    expect(
      toolRequests.map((r) => ({
        operation: r.operation,
        conversationId: r.conversationId,
        verifiedUserId: r.verifiedUserId,
        confirmed: r.confirmed,
      })),
    ).toEqual([
      { operation: 'get_order_details', conversationId, verifiedUserId: 'user_8f2', confirmed: false },
      { operation: 'cancel_pending_order', conversationId, verifiedUserId: 'user_8f2', confirmed: false },
    ]);

    const [first, second, third] = t.llm.chatRequests;
    // Only the tools asked for are offered, with their JSON Schemas as function parameters.
    expect(first?.body?.tools?.map((tool) => tool.function.name)).toEqual(['get_order_details', 'cancel_pending_order']);
    expect(first?.body?.tools?.[0]?.function.parameters).toEqual(JSON.parse(ORDER_TOOLS[0].parametersJsonSchema));
    expect(first?.body?.tools?.[1]?.function.description).toMatch(/explicitly confirmed/);
    expect(first?.body?.tool_choice).toBe('auto');
    const lastTwo = (request: WireRequest | undefined) => request?.body?.messages.slice(-2);
    const [assistant, tool] = lastTwo(second) ?? [];
    expect(assistant?.tool_calls?.[0]?.function).toEqual({ name: 'get_order_details', arguments: '{"order_id":"#W2378156"}' });
    expect(tool).toEqual({
      role: 'tool',
      tool_call_id: assistant?.tool_calls?.[0]?.id,
      content: JSON.stringify({ order_id: '#W2378156', status: 'pending' }),
    });
    expect(lastTwo(third)?.[1]?.content).toContain('the customer must confirm it first');
  });

  it('stops offering tools after LLM_MAX_TOOL_ROUNDS and asks for a text answer', async () => {
    t.llm.respondWith((request) =>
      request.body?.tool_choice === 'none'
        ? wire.text('Here is what I can say from the policy [1].')
        : wire.toolCalls([{ name: 'get_order_details', arguments: { order_id: '#W1' } }]),
    );
    const result = await t.ask({ question: 'Where is my order #W1?', passages, tools: ['get_order_details'] });
    expect(t.llm.chatRequests.map((r) => r.body?.tool_choice)).toEqual(['auto', 'auto', 'none']);
    expect(result.toolCalls).toHaveLength(2);
    expect(result.text).toBe('Here is what I can say from the policy [1].');
  });

  it('sends the model only the instructions, the passages, the facts and the question', async () => {
    t.llm.enqueue(wire.text('退货需要订单状态为已送达 [1]。'));
    await t.ask({
      question: '怎么退货？',
      locale: 'zh-CN',
      passages,
      verifiedUserId: 'user_secret_42',
      tools: [],
      facts: [
        { name: 'order_status', value: 'delivered' },
        { name: 'customer_tier', value: 'gold' },
      ],
    });
    const [request] = t.llm.chatRequests;
    expect(request?.body?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request?.body?.messages[1]?.content).toBe('怎么退货？');
    expect(request?.body?.tools).toBeUndefined();
    const system = systemText(request);
    // Best-ranked passage first, as [1].
    expect(system).toContain(`Sources:\n[1] Return delivered order\n${RETURNS}\n\n[2] Cancel pending order\n${CANCEL}`);
    expect(system).toContain('Known facts:\n- order_status: delivered\n- customer_tier: gold');
    expect(system).toContain('Reply in Chinese');
    // Nothing about who or where: no ids of the tenant, conversation, user or documents.
    for (const leak of [t.tenantId, 'user_secret_42', 'doc-7f3a', 'kb-policies', 'wiki:returns'])
      expect(JSON.stringify(request?.body)).not.toContain(leak);
  });

  it('stores a style guide over Kafka and uses it in the next prompt, at once after a change', async () => {
    const put = await t.rpc.request(
      Rpcs.generationStylePut,
      create(PutStyleGuideRequestSchema, {
        tenantId: t.tenantId,
        styleGuide: {
          tone: '  warm and brief ',
          rules: ['Call the customer by name when known', ' '],
          forbiddenPromises: ['a refund within 24 hours'],
          signOff: '— The Acme team',
        },
      }),
      { timeoutMs: 15_000 },
    );
    expect(put).toMatchObject({
      tenantId: t.tenantId,
      tone: 'warm and brief',
      rules: ['Call the customer by name when known'],
      forbiddenPromises: ['a refund within 24 hours'],
      signOff: '— The Acme team',
    });
    expect(Date.parse(put.updatedAt)).not.toBeNaN();
    const got = await t.rpc.request(Rpcs.generationStyleGet, create(GetStyleGuideRequestSchema, { tenantId: t.tenantId }), {
      timeoutMs: 15_000,
    });
    expect(got).toEqual(put);
    const row = await t.db.query('select tenant_id, tone from generation.style_guides where tenant_id = $1', [t.tenantId]);
    expect(row.rows).toEqual([{ tenant_id: t.tenantId, tone: 'warm and brief' }]);

    t.llm.enqueue(wire.text('Sure [1]. — The Acme team'));
    await t.ask({ question: RETURN_QUESTION, passages });
    const system = systemText(t.llm.chatRequests[0]);
    expect(system).toContain(
      'Style guide:\nTone: warm and brief\nRules:\n- Call the customer by name when known\nNever promise:\n- a refund within 24 hours\nEnd every reply with: — The Acme team',
    );

    await t.rpc.request(
      Rpcs.generationStylePut,
      create(PutStyleGuideRequestSchema, { tenantId: t.tenantId, styleGuide: { tone: 'formal' } }),
      { timeoutMs: 15_000 },
    );
    t.llm.enqueue(wire.text('Certainly [1].'));
    await t.ask({ question: RETURN_QUESTION, passages });
    const next = systemText(t.llm.chatRequests[1]);
    expect(next).toContain('Style guide:\nTone: formal');
    expect(next).not.toContain('Acme');

    // Another tenant has no guide, and sees none of this one's.
    const other = await t.rpc.request(Rpcs.generationStyleGet, create(GetStyleGuideRequestSchema, { tenantId: `${t.tenantId}_other` }), {
      timeoutMs: 15_000,
    });
    expect(other).toMatchObject({ tone: '', rules: [], updatedAt: '' });
  });

  it('refuses a style guide beyond the field limits, naming the field', async () => {
    const tooMany = create(PutStyleGuideRequestSchema, {
      tenantId: t.tenantId,
      styleGuide: { rules: Array.from({ length: 21 }, (_, i) => `rule ${i}`), signOff: 'x'.repeat(201) },
    });
    await expect(t.rpc.request(Rpcs.generationStylePut, tooMany, { timeoutMs: 15_000 })).rejects.toThrow(
      'styleGuide.rules must be at most 20 rules of at most 300 characters; styleGuide.signOff must be at most 200 characters',
    );
  });

  it('retries after a 429, waiting as long as Retry-After says, then answers with the LLM', async () => {
    t.llm.enqueue(wire.error(429, { retryAfterSeconds: 1 }), wire.text('Returns need a delivered order [1].'));
    const result = await t.ask({ question: RETURN_QUESTION, passages });
    expect(result).toMatchObject({ mode: 'llm', text: 'Returns need a delivered order [1].', fallbackReason: '' });
    const [first, second] = t.llm.chatRequests;
    expect(t.llm.chatRequests).toHaveLength(2);
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('answers extractively with llm_error when the endpoint keeps failing with 500s, after retrying', async () => {
    t.llm.respondWith(() => wire.error(500));
    const result = await t.ask({ question: RETURN_QUESTION, passages });
    expect(t.llm.chatRequests).toHaveLength(3); // the first attempt and LLM_RETRIES=2
    const extractive = composeExtractiveAnswer(
      RETURN_QUESTION,
      passages.map((p) => ({ id: p.id!, title: p.title!, text: p.text!, score: p.score! })),
    );
    expect(result).toMatchObject({ mode: 'extractive', fallbackReason: 'llm_error', text: extractive.text, grounded: true });
    expect(result.citations[0]?.passageId).toBe('wiki:returns');
  });

  it('falls back when the stream is cut, without retrying what the customer already saw', async () => {
    t.llm.enqueue(
      wire.truncated('Returns are possible once the order is delivered. The refund goes', { chunks: 4, chunkDelayMs: 25 }),
      wire.text('never asked for'),
    );
    const turnId = randomUUID();
    const result = await t.ask({ question: RETURN_QUESTION, passages, stream: true, turnId });
    expect(result).toMatchObject({ mode: 'extractive', fallbackReason: 'llm_error' });
    expect(t.llm.chatRequests).toHaveLength(1);
    // The preview stops at the last whole sentence the check passed; the conversation's final Reply (this result) replaces it.
    await waitFor(() => t.deltasOf(turnId).join('') === 'Returns are possible once the order is delivered.', 'the partial deltas');
  });

  it('keeps "NO_ANSWER" from the customer and answers extractively', async () => {
    const conversationId = randomUUID();
    const turnId = randomUUID();
    const marker = randomUUID();
    t.llm.enqueue(wire.text('NO_ANSWER', { chunks: 4 }), wire.text('Marker.'));
    const result = await t.ask({ question: "What's the weather in Paris?", passages, stream: true, conversationId, turnId });
    expect(result).toMatchObject({ mode: 'extractive', fallbackReason: 'no_answer', grounded: false });
    await t.ask({ question: RETURN_QUESTION, passages, stream: true, conversationId, turnId: marker });
    await waitFor(() => t.deltasOf(marker).join('') === 'Marker.', 'the marker turn');
    expect(t.deltasOf(turnId)).toEqual([]);
  });

  it('does not call the LLM when there is nothing to ground an answer on', async () => {
    const result = await t.ask({ question: RETURN_QUESTION, passages: [] });
    expect(result).toMatchObject({ mode: 'extractive', fallbackReason: 'no_passages', grounded: false });
    expect(t.llm.chatRequests).toHaveLength(0);
  });
});
