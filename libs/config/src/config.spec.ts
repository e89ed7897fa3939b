import { ConfigError, databaseShape, loadConfig, localDefault, platformShape, requiredInProduction, z } from './index';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(platformShape, { NODE_ENV: 'development', HTTP_PORT: '8080' });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.INSTANCE_ID).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('names every variable that is wrong', () => {
    const shape = { ...platformShape, ...databaseShape, LLM_MODEL: z.string().min(1) };
    const problems = problemsOf(() => loadConfig(shape, { NODE_ENV: 'development', HTTP_PORT: 'eighty', DATABASE_URL: 'not a url' })).join(
      '\n',
    );
    expect(problems).toContain('HTTP_PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('LLM_MODEL');
  });

  it('in production, refuses the defaults that only fit a developer machine, naming each', () => {
    const shape = { ...platformShape, ...databaseShape, LISTS_DIR: localDefault(z.string(), '../shared/lists') };
    const problems = problemsOf(() => loadConfig(shape, { HTTP_PORT: '8080', REDIS_URL: 'redis://redis:6379/0' }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'LISTS_DIR']);
    expect(problems[0]).toMatch(/must be set in production/);
    const deployed = {
      HTTP_PORT: '8080',
      REDIS_URL: 'redis://redis:6379/0',
      KAFKA_BROKERS: 'kafka:9092',
      DATABASE_URL: 'postgres://db/sb',
      LISTS_DIR: '/data/lists',
    };
    expect(loadConfig(shape, deployed).LISTS_DIR).toBe('/data/lists');
    expect(loadConfig(shape, { NODE_ENV: 'test', HTTP_PORT: '1' }).LISTS_DIR).toBe('../shared/lists');
  });

  it('lists what a shape requires in production: no default, or a local one', () => {
    const shape = {
      ...platformShape,
      ...databaseShape,
      OPTIONAL: z.string().optional(),
      PLAIN: z.string().default('x'),
      NEEDED: z.string(),
    };
    expect(requiredInProduction(shape).sort()).toEqual(['DATABASE_URL', 'HTTP_PORT', 'KAFKA_BROKERS', 'NEEDED', 'REDIS_URL']);
  });
});
