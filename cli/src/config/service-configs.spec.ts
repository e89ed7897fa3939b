// The CLI's defaults for a local stack are the services' own, read from their schemas, not copies.
import { tmpdir } from 'node:os';
import { databaseShape, platformShape, shapeDefault, z } from '@switchboard/config';
import { defaults } from '../commands/infra';
import { program } from '../main';
import { LocalStack, WITH_CONSOLE } from '../stack/local-stack';
import { localGateway, SERVICE_CONFIGS, SERVICE_NAMES } from './service-configs';

it('covers every service the local stack runs', () => {
  expect([...SERVICE_NAMES].sort()).toEqual([...WITH_CONSOLE].sort());
});

it("runs a dev stack on each service's default HTTP port, and follows a changed default", () => {
  const stack = new LocalStack({ env: {}, logDir: tmpdir() });
  for (const service of WITH_CONSOLE)
    expect({ service, port: stack.httpPort(service) }).toEqual({
      service,
      port: shapeDefault(SERVICE_CONFIGS[service].shape, 'HTTP_PORT'),
    });
  const shape = SERVICE_CONFIGS.analytics.shape as Record<string, z.ZodTypeAny>;
  const original = shape.HTTP_PORT;
  try {
    shape.HTTP_PORT = z.coerce.number().default(3999);
    expect(stack.httpPort('analytics')).toBe(3999);
  } finally {
    shape.HTTP_PORT = original;
  }
});

it("points chat, simulate and users at the gateway's default ports", () => {
  expect(localGateway).toEqual({
    grpcAddress: `127.0.0.1:${shapeDefault(SERVICE_CONFIGS.gateway.shape, 'GRPC_PORT')}`,
    restUrl: `http://127.0.0.1:${shapeDefault(SERVICE_CONFIGS.gateway.shape, 'HTTP_PORT')}`,
  });
  expect(new LocalStack({ env: {}, logDir: tmpdir() }).grpcAddress).toBe(localGateway.grpcAddress);
  const cli = program();
  const option = (command: string, flag: string) =>
    cli.commands.find((c) => c.name() === command)!.options.find((o) => o.long === flag)?.defaultValue as unknown;
  expect(option('chat', '--address')).toBe(localGateway.grpcAddress);
  expect(option('simulate', '--address')).toBe(localGateway.grpcAddress);
  const users = cli.commands.find((c) => c.name() === 'users')!;
  for (const sub of users.commands) expect(sub.options.find((o) => o.long === '--url')?.defaultValue).toBe(localGateway.restUrl);
});

it("connects to Kafka, Redis and Postgres where the services' own development defaults say, unless the shell says otherwise", () => {
  expect(defaults).toEqual({
    kafkaBrokers: process.env.KAFKA_BROKERS ?? shapeDefault(platformShape, 'KAFKA_BROKERS'),
    redisUrl: process.env.REDIS_URL ?? shapeDefault(platformShape, 'REDIS_URL'),
    redisNamespace: process.env.REDIS_NAMESPACE ?? shapeDefault(platformShape, 'REDIS_NAMESPACE'),
    databaseUrl: process.env.DATABASE_URL ?? shapeDefault(databaseShape, 'DATABASE_URL'),
  });
});
