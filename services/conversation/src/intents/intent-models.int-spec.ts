// The built-in intent model's calibration is kept in a real Redis (one of the test's own, so no
// other run's key is there): the first start fits it and stores the temperature with the
// cross-validated accuracy, a restarted replica trains with the stored ones instead of fitting
// them again, and any replica reads the accuracy from there. Both caches are content-addressed and
// shared by every REDIS_NAMESPACE.
import Redis from 'ioredis';
import { calibrationKey, type IntentAccuracy } from '@switchboard/nlu';
import { PrivateRedis, quietLogger } from '@switchboard/testing';
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
  const start = async (client = redis) => {
    const models = new IntentModels(noTenantExamples, client, config(), quietLogger());
    started.push(models);
    await models.warmUp();
    return models;
  };

  beforeAll(async () => {
    server = new PrivateRedis();
    await server.start();
    redis = new Redis(server.url);
  });

  afterAll(async () => {
    await Promise.all(started.map((m) => m.onModuleDestroy()));
    redis?.disconnect();
    await server?.destroy();
  });

  it(
    'stores the fitted temperature and the cross-validated accuracy by the calibration key, and a restart trains with them',
    async () => {
      const examples = builtInExamples('en').examples;
      const key = `nlu:calibration:${calibrationKey(examples, [config().NLU_MODEL_EN])}`;
      const first = await start();
      const kept = JSON.parse((await redis.get(key))!) as { temperature: number; accuracy: IntentAccuracy };
      expect(kept.temperature).toBeGreaterThan(0);
      expect(kept.accuracy).toMatchObject({ method: 'cross-validation', heldOut: examples.length });
      expect(kept.accuracy.overall).toBeGreaterThan(0.5);
      expect(Object.keys(kept.accuracy.perIntent)).toEqual([...new Set(examples.map((e) => e.label))].sort());
      expect(await redis.ttl(key)).toBeGreaterThan(29 * 24 * 3600);
      // Any replica reads the accuracy of a set of examples from there; another set's is not known.
      expect(await first.accuracyOf(examples)).toEqual(kept.accuracy);
      expect(await first.accuracyOf(examples.slice(1))).toBeUndefined();
      const before = await first.classify('tenant-a', 'where is my order', 'en');

      // Another calibration under the key shows the restarted replica read it rather than fitting,
      // and kept it, accuracy included.
      const planted = { temperature: kept.temperature * 2, accuracy: { ...kept.accuracy, overall: 0.5 } };
      await redis.set(key, JSON.stringify(planted));
      const restarted = await start();
      const after = await restarted.classify('tenant-a', 'where is my order', 'en');
      expect(after.label).toBe(before.label);
      expect(after.confidence).toBeLessThan(before.confidence);
      expect(JSON.parse((await redis.get(key))!)).toEqual(planted);
      expect(await restarted.accuracyOf(examples)).toEqual(planted.accuracy);

      // A bare temperature (what an older version kept) has no accuracy: the fits run again and keep both.
      await redis.set(key, String(kept.temperature));
      expect(await restarted.accuracyOf(examples)).toBeUndefined();
      await start();
      expect(JSON.parse((await redis.get(key))!)).toEqual(kept);
    },
    TRAIN_MS * 2,
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

  it(
    'keeps both caches outside REDIS_NAMESPACE, so a stack in another namespace trains with them',
    async () => {
      const examples = builtInExamples('en').examples;
      const key = `nlu:calibration:${calibrationKey(examples, [config().NLU_MODEL_EN])}`;
      const kept = JSON.parse((await redis.get(key))!) as { temperature: number; accuracy: IntentAccuracy };
      const planted = { temperature: kept.temperature * 3, accuracy: { ...kept.accuracy, overall: 0.25 } };
      await redis.set(key, JSON.stringify(planted));
      const stackA = new Redis(server.url, { keyPrefix: 'stack-a.' });
      const stackB = new Redis(server.url, { keyPrefix: 'stack-b.' });
      try {
        const inA = await start(stackA);
        expect(await inA.accuracyOf(examples)).toEqual(planted.accuracy);
        await redis.del(key);
        await start(stackB); // fits again, and keeps the result where stack A reads it
        const refit = JSON.parse((await redis.get(key))!) as { accuracy: IntentAccuracy };
        expect(refit.accuracy).toMatchObject({ method: 'cross-validation', heldOut: examples.length });
        expect(await inA.accuracyOf(examples)).toEqual(refit.accuracy);
        expect(await redis.keys('stack-*')).toEqual([]);
      } finally {
        stackA.disconnect();
        stackB.disconnect();
      }
    },
    TRAIN_MS,
  );

  it(
    "keeps a tenant's own calibration (its intent names) inside REDIS_NAMESPACE",
    async () => {
      const examples = builtInExamples('en').examples.map((e) => ({ ...e, label: `acme_${e.label}` }));
      const withExamples = {
        revision: async () => 1,
        load: async () => ({ revision: 1, examples }),
      } as unknown as IntentExamplesRepository;
      const stackA = new Redis(server.url, { keyPrefix: 'stack-a.' });
      const models = new IntentModels(withExamples, stackA, config(), quietLogger());
      started.push(models);
      try {
        await models.classify('acme', 'where is my order', 'en');
        const key = `nlu:calibration:${calibrationKey(examples, [config().NLU_MODEL_EN])}`;
        expect(await redis.get(`stack-a.${key}`)).not.toBeNull();
        expect(await redis.get(key)).toBeNull();
        expect((await models.accuracyOf(examples))?.perIntent).toHaveProperty('acme_order_status');
      } finally {
        stackA.disconnect();
      }
    },
    TRAIN_MS,
  );
});
