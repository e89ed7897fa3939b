import { ConfigError, loadConfig, platformShape, z } from './index';

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(platformShape, { HTTP_PORT: '8080' });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.INSTANCE_ID).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('names every variable that is wrong', () => {
    const shape = { ...platformShape, LLM_MODEL: z.string().min(1) };
    let error: unknown;
    try {
      loadConfig(shape, { HTTP_PORT: 'eighty', DATABASE_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('LLM_MODEL');
  });
});
