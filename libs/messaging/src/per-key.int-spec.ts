// No head-of-line blocking: on one partition, a message whose handler is blocked holds up only the
// messages of its own key (conversation); the other key's messages are handled meanwhile, order
// within a key is kept, and the committed offset never passes the blocked message, so a consumer
// killed mid-way has the unfinished messages re-delivered (and the finished ones skipped).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@switchboard/contracts';
import { connectTestBus, infra, testTurn, uniqueName, waitFor } from '@switchboard/testing';
import type { KafkaBus } from './index';

const tenantId = uniqueName('tenant');
const slow = randomUUID();
const fast = randomUUID();

async function committedOffset(groupId: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'offsets', brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(partitions[0].offset);
  } finally {
    await admin.disconnect();
  }
}

describe('per-key queues on one partition', () => {
  let bus: KafkaBus;
  let close: () => Promise<void>;
  beforeAll(async () => ({ bus, close } = await connectTestBus(uniqueName('svc'))));
  afterAll(async () => close());

  const newTopic = async () => {
    const topic = { ...Topics.inbound, name: uniqueName('test.per-key') };
    await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
    const publish = async (conversationId: string, text: string) => bus.publish(topic, testTurn({ tenantId, conversationId, text }));
    return { topic, publish };
  };

  it('handles other keys while one key is blocked, keeps order within a key, and commits no further than the blocked message', async () => {
    const { topic, publish } = await newTopic();
    const groupId = uniqueName('g');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const handled: string[] = [];
    await bus.subscribe(
      topic,
      async ({ message }) => {
        if (message.text === 's1') await gate;
        handled.push(message.text);
      },
      { groupId, concurrency: 4 },
    );
    for (const [conversation, text] of [
      [slow, 's1'],
      [fast, 'f1'],
      [fast, 'f2'],
      [slow, 's2'],
      [fast, 'f3'],
    ])
      await publish(conversation, text);

    await waitFor(() => handled.length === 3, "the other key's messages while s1 is blocked", 20_000);
    expect(handled).toEqual(['f1', 'f2', 'f3']);
    await new Promise((r) => setTimeout(r, 500));
    expect(handled).not.toContain('s2'); // behind s1, its key's earlier message
    expect(await committedOffset(groupId, topic.name)).toBeLessThanOrEqual(0);

    open();
    await waitFor(() => handled.length === 5, 'the blocked key after it is released');
    expect(handled.slice(3)).toEqual(['s1', 's2']);
    await waitFor(async () => (await committedOffset(groupId, topic.name)) === 5, 'the offset committed past every message');
  });

  it('re-delivers the unfinished messages after the consumer is killed, and skips the finished ones', async () => {
    const { topic, publish } = await newTopic();
    const groupId = uniqueName('g');
    const dist = (lib: string) => JSON.stringify(path.resolve(__dirname, '../..', lib, 'dist'));
    const consumer = `
      const { connectTestBus } = require(${dist('testing')});
      const { Topics } = require(${dist('contracts')});
      connectTestBus('killed').then(({ bus }) => bus.subscribe({ ...Topics.inbound, name: ${JSON.stringify(topic.name)} }, async ({ message }) => {
        if (message.conversationId === ${JSON.stringify(slow)}) await new Promise(() => undefined); // a dependency that never answers
        console.log(message.text);
      }, { groupId: ${JSON.stringify(groupId)}, concurrency: 4 }));
    `;
    const child = spawn(process.execPath, ['-e', consumer], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const handledBefore: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => handledBefore.push(line));
    for (const [conversation, text] of [
      [slow, 's1'],
      [fast, 'f1'],
      [fast, 'f2'],
      [slow, 's2'],
      [fast, 'f3'],
    ])
      await publish(conversation, text);
    try {
      await waitFor(() => handledBefore.length === 3, 'the killed consumer to handle the other key', 60_000);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(handledBefore).toEqual(['f1', 'f2', 'f3']);

    const handledAfter: string[] = [];
    await bus.subscribe(topic, async ({ message }) => void handledAfter.push(message.text), { groupId, concurrency: 4 });
    await waitFor(() => handledAfter.length === 2, 'the unfinished messages re-delivered', 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(handledAfter).toEqual(['s1', 's2']);
  }, 180_000);
});
