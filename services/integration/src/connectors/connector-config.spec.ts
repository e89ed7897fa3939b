// A bad connector config stops start-up with the variable and the field named.
import { ConfigError } from '@switchboard/config';
import { externalCrmConnector } from '../../test/external-crm.server';
import { loadConnectorConfig } from './connector-config';

const load = (config: unknown, env: NodeJS.ProcessEnv = { TEST_CRM_API_KEY: 'k' }) => loadConnectorConfig({ CONNECTOR_CONFIG: JSON.stringify(config), CONNECTOR_CONFIG_FILE: '' }, env);
const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
};

it('reads a tenant connector with its defaults and its secret', () => {
  const acme = load({ tenants: { acme: externalCrmConnector('http://crm.example') } }).get('acme')!;
  expect(acme).toMatchObject({ baseUrl: 'http://crm.example', timeoutMs: 3000, retries: 2, authValue: 'k', cacheTtlSeconds: { user: 60, order: 30, product: 600 } });
  expect(loadConnectorConfig({ CONNECTOR_CONFIG: '', CONNECTOR_CONFIG_FILE: '' }).size).toBe(0);
});

it('names the missing secret variable, the bad field, and the unreadable file', () => {
  expect(problems(() => load({ tenants: { acme: externalCrmConnector('http://crm.example') } }, {}))).toEqual([
    'CONNECTOR_CONFIG: tenants.acme.auth.valueEnv names TEST_CRM_API_KEY, which is not set; set it to the API secret',
  ]);
  expect(problems(() => load({ tenants: { acme: { ...externalCrmConnector('http://crm.example'), baseUrl: 'crm' } } }))).toEqual(['CONNECTOR_CONFIG: tenants.acme.baseUrl: Invalid url']);
  expect(problems(() => loadConnectorConfig({ CONNECTOR_CONFIG: '{', CONNECTOR_CONFIG_FILE: '' }))[0]).toMatch(/^CONNECTOR_CONFIG: not JSON/);
  expect(problems(() => loadConnectorConfig({ CONNECTOR_CONFIG: '', CONNECTOR_CONFIG_FILE: '/nonexistent/crm.json' }))[0]).toMatch(/^CONNECTOR_CONFIG_FILE: cannot read \/nonexistent\/crm.json/);
});
