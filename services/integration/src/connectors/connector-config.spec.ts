// A bad connector config stops start-up with the variable and the field named.
import { ConfigError } from '@switchboard/config';
import { externalCrmConnector } from '../../test/external-crm.server';
import { OutboundPolicy } from '../outbound/outbound-policy';
import { loadConnectorConfig } from './connector-config';

const development = OutboundPolicy.fromConfig({ NODE_ENV: 'development', OUTBOUND_ALLOWED_ADDRESSES: '' });
const load = (config: unknown, env: NodeJS.ProcessEnv = { TEST_CRM_API_KEY: 'k' }, outbound = development) =>
  loadConnectorConfig({ CONNECTOR_CONFIG: JSON.stringify(config), CONNECTOR_CONFIG_FILE: '' }, outbound, env);
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
  expect(acme).toMatchObject({
    baseUrl: 'http://crm.example',
    timeoutMs: 3000,
    retries: 2,
    authValue: 'k',
    cacheTtlSeconds: { user: 60, order: 30, product: 600 },
  });
  expect(loadConnectorConfig({ CONNECTOR_CONFIG: '', CONNECTOR_CONFIG_FILE: '' }, development).size).toBe(0);
});

it('names the missing secret variable, the bad field, and the unreadable file', () => {
  expect(problems(() => load({ tenants: { acme: externalCrmConnector('http://crm.example') } }, {}))).toEqual([
    'CONNECTOR_CONFIG: tenants.acme.auth.valueEnv names TEST_CRM_API_KEY, which is not set; set it to the API secret',
  ]);
  expect(problems(() => load({ tenants: { acme: { ...externalCrmConnector('http://crm.example'), baseUrl: 'crm' } } }))).toEqual([
    'CONNECTOR_CONFIG: tenants.acme.baseUrl: Invalid url',
  ]);
  expect(problems(() => loadConnectorConfig({ CONNECTOR_CONFIG: '{', CONNECTOR_CONFIG_FILE: '' }, development))[0]).toMatch(
    /^CONNECTOR_CONFIG: not JSON/,
  );
  expect(
    problems(() => loadConnectorConfig({ CONNECTOR_CONFIG: '', CONNECTOR_CONFIG_FILE: '/nonexistent/crm.json' }, development))[0],
  ).toMatch(/^CONNECTOR_CONFIG_FILE: cannot read \/nonexistent\/crm.json/);
});

it('refuses a base URL at an internal address unless the operator allow-lists it, and plain http outside development', () => {
  const production = (allowed: string) => OutboundPolicy.fromConfig({ NODE_ENV: 'production', OUTBOUND_ALLOWED_ADDRESSES: allowed });
  const crm = (baseUrl: string) => ({ tenants: { acme: externalCrmConnector(baseUrl) } });
  expect(problems(() => load(crm('https://10.0.0.5/api'), undefined, production('')))).toEqual([
    "CONNECTOR_CONFIG: tenants.acme.baseUrl is refused: private address; an internal CRM's address goes on OUTBOUND_ALLOWED_ADDRESSES",
  ]);
  expect(problems(() => load(crm('https://169.254.169.254/'), undefined, production('169.254.0.0/16')))[0]).toContain(
    'is refused: cloud metadata address',
  );
  expect(problems(() => load(crm('http://93.184.215.14/api'), undefined, production('')))[0]).toContain('is refused: plain http');
  expect(load(crm('https://10.0.0.5/api'), undefined, production('10.0.0.0/24')).get('acme')?.baseUrl).toBe('https://10.0.0.5/api');
  expect(load(crm('http://10.0.0.5/api'), undefined, production('10.0.0.0/24')).get('acme')?.baseUrl).toBe('http://10.0.0.5/api');
});
