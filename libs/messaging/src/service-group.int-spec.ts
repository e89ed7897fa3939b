// One consumer group per service (groupPerService): every topic a service serves on one consumer,
// joined by start(). What must hold: a backlog on one topic never stops another (the consumer's
// batch is never held: a full topic pauses its own partitions), nothing is lost when a paused
// partition resumes, and an upgrade from a group per topic starts where that group left off, under
// the same dedupe keys.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { Topics } from '@switchboard/contracts';
import { connectTestBus, infra, testTurn, uniqueName, waitFor } from '@switchboard/testing';
import { dedupeKey, type KafkaBus } from './index';

const tenantId = uniqueName('tenant');

describe('one consumer group per service', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => Promise.all(closers.map((close) => close())));

  const serviceBus = async (service: string) => {
    const connected = await connectTestBus(service, '', { groupPerService: true });
    closers.push(connected.close);
    return connected.bus;
  };
  const newTopic = async (bus: KafkaBus, partitions = 1) => {
    const topic = { ...Topics.inbound, name: uniqueName('test.service-group') };
    await bus.ensureTopics([{ name: topic.name, partitions }]);
    const publish = async (conversationId: string, text: string) => bus.publish(topic, testTurn({ tenantId, conversationId, text }));
    return { topic, publish };
  };

  it('joins once, after every topic subscribed, and refuses a subscription after that', async () => {
    const service = uniqueName('svc');
    const bus = await serviceBus(service);
    const a = await newTopic(bus);
    const b = await newTopic(bus);
    const handled: string[] = [];
    await bus.subscribe(a.topic, async ({ message }) => void handled.push(`a:${message.text}`));
    await bus.subscribe(b.topic, async ({ message }) => void handled.push(`b:${message.text}`));
    expect(await bus.health()).toEqual({ ok: false, detail: 'consumer group not started yet' });

    await bus.start();
    expect((await bus.health()).ok).toBe(true);
    await a.publish(randomUUID(), '1');
    await b.publish(randomUUID(), '1');
    await waitFor(() => handled.length === 2, 'a message on each topic');
    expect(handled.sort()).toEqual(['a:1', 'b:1']);

    const admin = new Kafka({ clientId: 'groups', brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([service]);
      expect(groups[0].state).toBe('Stable');
      expect(groups[0].members).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }
    await expect(bus.subscribe(b.topic, async () => undefined)).rejects.toThrow(/subscribe before start\(\)/);
  });

  it('keeps handling one topic while another has more waiting than it buffers, and loses none of those', async () => {
    const bus = await serviceBus(uniqueName('svc'));
    const busy = await newTopic(bus);
    const other = await newTopic(bus);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const busyHandled: string[] = [];
    const otherHandled: string[] = [];
    // Concurrency 1 buffers 16 messages: 40 blocked ones overflow it and pause the partition.
    await bus.subscribe(busy.topic, async ({ message }) => {
      await gate;
      busyHandled.push(message.text);
    });
    await bus.subscribe(other.topic, async ({ message }) => void otherHandled.push(message.text));
    await bus.start();
    const conversations = Array.from({ length: 4 }, () => randomUUID());
    for (let i = 0; i < 40; i += 1) await busy.publish(conversations[i % 4], String(i));
    await new Promise((r) => setTimeout(r, 1_500));
    for (let i = 0; i < 5; i += 1) await other.publish(randomUUID(), String(i));

    await waitFor(() => otherHandled.length === 5, 'the other topic while the busy one is full', 15_000);
    expect(busyHandled).toEqual([]);

    open();
    await waitFor(() => busyHandled.length === 40, 'every message of the busy topic once it drains', 30_000);
    expect(new Set(busyHandled).size).toBe(40);
    for (const conversation of [0, 1, 2, 3]) {
      const own = busyHandled.map(Number).filter((n) => n % 4 === conversation);
      expect(own).toEqual([...own].sort((x, y) => x - y)); // order kept within a conversation
    }
  });

  it('serves a topic only the newer replica reads, as in a rolling upgrade that adds it', async () => {
    const service = uniqueName('svc');
    const older = await serviceBus(service);
    const newer = await serviceBus(service);
    const both = await newTopic(older);
    const added = await newTopic(older);
    const handled: string[] = [];
    await older.subscribe(both.topic, async ({ message }) => void handled.push(`older:${message.text}`));
    await older.start(); // first in the group: its leader, whose own topics kafkajs's assigner would give out alone
    await newer.subscribe(both.topic, async ({ message }) => void handled.push(`newer:${message.text}`));
    await newer.subscribe(added.topic, async ({ message }) => void handled.push(`added:${message.text}`));
    await newer.start();
    await added.publish(randomUUID(), '1');
    await both.publish(randomUUID(), '1');
    await waitFor(() => handled.length === 2, 'a message on each topic', 20_000);
    expect(handled).toContain('added:1');
  });

  it('starts a topic where the group that served it alone left off, under the same dedupe keys', async () => {
    const service = uniqueName('svc');
    const bus = await serviceBus(service);
    const { topic, publish } = await newTopic(bus, 2);
    const sent = [];
    for (let i = 0; i < 6; i += 1) sent.push({ text: String(i), envelope: await publish(randomUUID(), String(i)) });

    // The group a service had for this topic alone (`<service>.<topic>`) handled everything up to here.
    const before = `${service}.${topic.name}`;
    const admin = new Kafka({ clientId: 'offsets', brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    let ends: Array<{ partition: number; offset: string }>;
    try {
      ends = await admin.fetchTopicOffsets(topic.name);
      await admin.setOffsets({
        groupId: before,
        topic: topic.name,
        partitions: ends.map(({ partition, offset }) => ({ partition, offset })),
      });
    } finally {
      await admin.disconnect();
    }

    const handled: string[] = [];
    await bus.subscribe(topic, async ({ message }) => void handled.push(message.text));
    await bus.start();
    const after = await publish(randomUUID(), 'after');
    await waitFor(() => handled.includes('after'), 'the message published after the upgrade');
    await new Promise((r) => setTimeout(r, 500));
    expect(handled).toEqual(['after']); // none of the six the old group had handled

    const redis = new Redis(infra.redisUrl());
    try {
      expect(await redis.exists(dedupeKey(tenantId, before, after.messageId))).toBe(1);
    } finally {
      redis.disconnect();
    }
    expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBe(sent.length);
  });
});
