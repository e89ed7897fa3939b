// Every service, as docker-compose.yml and deploy/k8s describe it, gets every variable its config
// requires in production: the environment each would run with (the image's ENV, then compose's
// or the manifest's settings, with the Secret template's keys filled in) goes through the
// service's own config loader, which refuses what is missing or malformed. And each data folder a
// service is pointed at is one the image has.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, requiredInProduction } from '@switchboard/config';
import { SERVICE_CONFIGS, SERVICE_NAMES, type ServiceName as Service } from '../../cli/src/config/service-configs';

// js-yaml 3 (a dev dependency, no types of its own here); safeLoad reads compose's merge keys (<<:).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { safeLoad(text: string): unknown; safeLoadAll(text: string): unknown[] };

type Env = Record<string, string>;
const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** What an operator puts where the templates say CHANGE_ME or `${…:?…}`: well-formed secrets. */
const OPERATOR_SECRETS: Env = {
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(48).toString('base64'),
  LLM_API_KEY: 'sk-test',
};

/** The runtime stage's ENV and the folders it COPYs data into or creates. */
function image(): { env: Env; dirs: string[] } {
  const dockerfile = read('deploy/Dockerfile').replace(/\\\n/g, ' ');
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const env: Env = {};
  for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const m of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)) env[m[1]] = m[2].replace(/\$\{SERVICE\}/, '');
  }
  const dirs = [
    ...[...runtime.matchAll(/^COPY --from=\S+ \S+ (\/\S+)$/gm)].map((m) => m[1]),
    ...[...runtime.matchAll(/mkdir -p (\S+)/g)].map((m) => m[1]),
  ].map((d) => d.replace(/\/$/, ''));
  return { env, dirs };
}

/** Compose's value after interpolation, as `docker compose config` would print it. */
function interpolate(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined; // a bare name: passed through only when set in the shell
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new Error(`a compose value must be a scalar, not ${JSON.stringify(value)}`);
  return String(value).replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, rest?: string) => {
    if (op === '?') return OPERATOR_SECRETS[name] ?? `set-${name}`;
    return op === '-' ? (rest ?? '') : '';
  });
}

function composeEnv(service: Service): Env {
  const compose = yaml.safeLoad(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, unknown> }> };
  const env: Env = { ...image().env };
  for (const [name, value] of Object.entries(compose.services[service]?.environment ?? {})) {
    const v = interpolate(value);
    if (v !== undefined) env[name] = v;
  }
  return env;
}

interface K8sDoc {
  kind: string;
  metadata: { name: string };
  data?: Env;
  stringData?: Env;
  spec?: {
    template: {
      spec: {
        containers: Array<{
          env?: Array<{
            name: string;
            value?: string;
            valueFrom?: { secretKeyRef?: { key: string; optional?: boolean }; configMapKeyRef?: { key: string } };
          }>;
          envFrom?: Array<{ configMapRef?: { name: string } }>;
        }>;
      };
    };
  };
}

const k8sDocs = (file: string) => yaml.safeLoadAll(read(path.join('deploy/k8s', file))).filter(Boolean) as K8sDoc[];

function k8sEnv(service: Service): Env {
  const configMap = k8sDocs('config.yaml').find((d) => d.kind === 'ConfigMap')!;
  const secret = k8sDocs('secret.example.yaml').find((d) => d.kind === 'Secret')!;
  const secretValue = (key: string) => OPERATOR_SECRETS[key] ?? secret.stringData?.[key];
  const deployment = k8sDocs(`${service}.yaml`).find((d) => d.kind === 'Deployment')!;
  const [container] = deployment.spec!.template.spec.containers;
  const env: Env = { ...image().env };
  for (const from of container.envFrom ?? []) if (from.configMapRef?.name === configMap.metadata.name) Object.assign(env, configMap.data);
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    const value =
      entry.value ??
      (ref ? secretValue(ref.key) : entry.valueFrom?.configMapKeyRef ? configMap.data?.[entry.valueFrom.configMapKeyRef.key] : undefined);
    if (value === undefined && !ref?.optional)
      throw new Error(`deploy/k8s/${service}.yaml: ${entry.name} refers to a key the Secret template does not have`);
    if (value !== undefined) env[entry.name] = value;
  }
  return env;
}

function configProblems(service: Service, env: Env): string[] {
  const { shape, load } = SERVICE_CONFIGS[service];
  const missing = requiredInProduction(shape).filter((name) => !env[name]);
  let problems: string[] = [];
  try {
    load(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.problems;
  }
  return [...problems, ...missing.filter((name) => !problems.some((p) => p.startsWith(`${name}:`))).map((name) => `${name}: not set`)];
}

/** Variables that name a folder of data the service reads (not where it writes). */
const DATA_DIRS = ['MODERATION_LISTS_DIR', 'REFERENCE_DATA_DIR', 'SWITCHBOARD_MODELS_DIR'];

function missingDataDirs(env: Env): string[] {
  const { dirs } = image();
  return DATA_DIRS.filter((name) => env[name] && !dirs.some((d) => env[name] === d || env[name].startsWith(`${d}/`))).map(
    (name) => `${name}=${env[name]} is not in the image`,
  );
}

it('covers every service there is, in compose and in deploy/k8s', () => {
  expect(
    readdirSync(path.join(ROOT, 'services'))
      .filter((d) => !d.startsWith('.'))
      .sort(),
  ).toEqual([...SERVICE_NAMES].sort());
  const compose = yaml.safeLoad(read('docker-compose.yml')) as { services: Record<string, unknown> };
  for (const service of SERVICE_NAMES) {
    expect(Object.keys(compose.services)).toContain(service);
    expect(k8sDocs('kustomization.yaml')[0]).toMatchObject({ resources: expect.arrayContaining([`${service}.yaml`]) });
  }
});

describe.each(SERVICE_NAMES)('%s', (service) => {
  it('starts with the environment docker-compose.yml gives it', () => {
    const env = composeEnv(service);
    expect({ service, problems: configProblems(service, env) }).toEqual({ service, problems: [] });
    expect(missingDataDirs(env)).toEqual([]);
  });

  it(`starts with the environment deploy/k8s/${service}.yaml gives it`, () => {
    const env = k8sEnv(service);
    expect({ service, problems: configProblems(service, env) }).toEqual({ service, problems: [] });
    expect(missingDataDirs(env)).toEqual([]);
  });
});

it('finds what a manifest leaves out (the check can fail)', () => {
  const env = k8sEnv('generation');
  delete env.DATABASE_URL;
  expect(configProblems('generation', env)).toEqual(expect.arrayContaining([expect.stringMatching(/^DATABASE_URL: /)]));
  expect(missingDataDirs({ MODERATION_LISTS_DIR: '/app/../shared/data/moderation' })).toHaveLength(1);
});
