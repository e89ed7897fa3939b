// The built-in intent model's calibration is kept in a real Redis (one of the test's own, so no
// other run's key is there): the first start fits it and stores the temperature, a restarted
// replica trains with the stored one instead of fitting it again.
import Redis from 'ioredis';
import { calibrationKey } from '@switchboard/nlu';
import { privateRedis, quietLogger, type PrivateRedis } from '@switchboard/testing';
import { loadConversationConfig } from '../config';
import { IntentExamplesRepository } from './intent-examples.repository';
import { builtInExamples, IntentModels } from './intent-models';

const TRAIN_MS = 120_000;

describe('IntentModels', () => {
  let server: PrivateRedis;
  let redis: Redis;
  const config = () => loadConversationConfig({ NODE_ENV: 'test', REDIS_URL: server.url });
  // A tenant without examples of its own: every classification uses the built-in model.
  const noTenantExamples = { revision: async () => 0, load: async () => undefined } as unknown as IntentExamplesRepository;
  const started: IntentModels[] = [];
  const start = async () => {
    const models = new IntentModels(noTenantExamples, redis, config(), quietLogger());
    started.push(models);
    await models.warmUp();
    return models;
  };

  beforeAll(async () => {
    server = privateRedis();
    await server.start();
    redis = new Redis(server.url);
  });

  afterAll(async () => {
    await Promise.all(started.map((m) => m.onModuleDestroy()));
    redis?.disconnect();
    await server?.destroy();
  });

  it(
    'stores the fitted temperature by its calibration key, and a restart trains with it',
    async () => {
      const key = `nlu:calibration:${calibrationKey(builtInExamples('en').examples, [config().NLU_MODEL_EN])}`;
      const first = await start();
      const fitted = Number(await redis.get(key));
      expect(fitted).toBeGreaterThan(0);
      expect(await redis.ttl(key)).toBeGreaterThan(29 * 24 * 3600);
      const before = await first.classify('tenant-a', 'where is my order', 'en');

      // Another temperature under the key shows the restarted replica read it rather than fitting.
      await redis.set(key, String(fitted * 2));
      const restarted = await start();
      const after = await restarted.classify('tenant-a', 'where is my order', 'en');
      expect(after.label).toBe(before.label);
      expect(after.confidence).toBeLessThan(before.confidence);
      expect(Number(await redis.get(key))).toBe(fitted * 2);
    },
    TRAIN_MS,
  );

  it(
    "keeps the built-in examples' vectors, and a restart trains on them",
    async () => {
      const encoder = config().NLU_MODEL_EN;
      const keys = await redis.keys(`nlu:embedding:${encoder}:*`);
      const examples = new Set(builtInExamples('en').examples.map((e) => e.text));
      expect(keys.length).toBeGreaterThanOrEqual(examples.size);
      expect((await redis.getBuffer(keys[0]))?.length).toBe(384 * 4); // bge-small-en-v1.5, float32

      // Other vectors make another model: the restarted replica trained on what Redis held.
      const before = await started[0].classify('tenant-a', 'where is my order', 'en');
      const other = Buffer.from(new Float32Array(384).map((_, i) => (i % 7) / 7 - 0.5).buffer);
      await Promise.all(keys.map((k) => redis.set(k, other)));
      const restarted = await start();
      const after = await restarted.classify('tenant-a', 'where is my order', 'en');
      expect(after).not.toEqual(before);
    },
    TRAIN_MS,
  );
});
