// The conversation's retry loop against a real broker and Redis: a generation answer slower than
// GENERATION_TIMEOUT_MS is asked again under the same request id, so the LLM work runs once and
// the turn gets that one answer.
import { randomUUID } from 'node:crypto';
import { AnswerResultSchema, create, Rpcs } from '@switchboard/contracts';
import { RpcClient, serveRpc } from '@switchboard/messaging';
import { connectTestBus, quietLogger, uniqueName } from '@switchboard/testing';
import type { ConversationConfig } from '../config';
import { DownstreamClient } from './downstream.client';

describe('DownstreamClient asking again after a timeout', () => {
  const namespace = `${uniqueName('downstream').toLowerCase()}.`;
  const tenantId = uniqueName('tenant');
  let test: Awaited<ReturnType<typeof connectTestBus>>;
  let rpc: RpcClient;

  beforeAll(async () => {
    test = await connectTestBus('conversation-test', namespace);
    await test.bus.ensureTopics([{ name: Rpcs.generationAnswer.name, partitions: 1 }]);
    rpc = new RpcClient(test.bus, quietLogger());
    await rpc.start();
  });
  afterAll(async () => {
    await rpc.stop();
    const keys = await test.redis.keys(`t:${tenantId}:*`);
    if (keys.length > 0) await test.redis.del(...keys);
    await test.close();
  });

  it('runs a generation answer slower than its timeout once and returns it', async () => {
    const runs: string[] = [];
    await serveRpc(
      test.bus,
      Rpcs.generationAnswer,
      async (request) => {
        runs.push(request.turnId);
        await new Promise((r) => setTimeout(r, 2_000));
        return create(AnswerResultSchema, { text: `answer ${runs.length}`, mode: 'llm' });
      },
      quietLogger(),
    );
    const client = new DownstreamClient(rpc, { GENERATION_TIMEOUT_MS: 700 } as ConversationConfig, quietLogger());
    const turnId = randomUUID();

    const started = Date.now();
    const result = await client.answer(
      { tenantId, conversationId: randomUUID(), deadline: Date.now() + 20_000 },
      { turnId, question: 'Where is my order?', locale: 'en' },
      { passages: [], facts: [], tools: [], verifiedUserId: '' },
    );

    expect(Date.now() - started).toBeGreaterThan(700); // it timed out at least once and asked again
    expect(result.text).toBe('answer 1');
    await new Promise((r) => setTimeout(r, 2_500)); // a repeat that would start a second run has arrived by now
    expect(runs).toEqual([turnId]);
  });
});
