// The committed configuration tables are exactly what the services' schemas render now.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseShape, describeShape, z } from '@switchboard/config';
import { repoRoot } from '../paths';
import { CONFIG_DOC_FILES, REGION_END, REGION_START, renderConfigTables, withConfigRegion } from './config-docs';
import { SERVICE_CONFIGS } from './service-configs';

it.each(CONFIG_DOC_FILES)('%s holds the tables the schemas render (run `npm run docs:config` after changing a config.ts)', (file) => {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const current = withConfigRegion(text, renderConfigTables(), file);
  if (current !== text) throw new Error(`${file} differs from the services' config schemas: run \`npm run docs:config\``);
});

it('renders every variable of every service, and a changed default or description changes the tables', () => {
  const tables = renderConfigTables();
  for (const { shape } of Object.values(SERVICE_CONFIGS))
    for (const name of Object.keys(shape)) expect(tables).toContain(`| \`${name}\` |`);
  // Paths are shown relative to the checkout, so the tables are the same on every machine.
  expect(tables).not.toContain(repoRoot);
  expect(tables).toContain('`<repo>/../shared/data/moderation`');

  const gateway = SERVICE_CONFIGS.gateway.shape as Record<string, z.ZodTypeAny>;
  const original = gateway.GRPC_PORT;
  try {
    gateway.GRPC_PORT = z.coerce.number().default(50052).describe('The gRPC ChatGateway.');
    expect(renderConfigTables()).not.toBe(tables);
  } finally {
    gateway.GRPC_PORT = original;
  }
  expect(renderConfigTables()).toBe(tables);
});

it('refuses a variable without a description, naming it', () => {
  expect(() => describeShape({ ...databaseShape, NEW_SETTING: z.string().default('x') })).toThrow(/^NEW_SETTING: no description/);
});

it('refuses a file without the markers', () => {
  expect(() => withConfigRegion('# no region', 'x', 'README.md')).toThrow(/README.md: no configuration region/);
  expect(withConfigRegion(`a\n${REGION_START}\nold\n${REGION_END}\nb`, 'new', 'f')).toBe(`a\n${REGION_START}\n\nnew\n\n${REGION_END}\nb`);
});
