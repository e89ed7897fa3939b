// The module boundaries, as a test: services import libs, never each other; libs import neither
// services nor the CLI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'dist' || name === 'gen' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** Where an import lands, as "services/<name>", "libs/<name>", "cli" or "external". */
function target(file: string, specifier: string): string {
  if (specifier.startsWith('@switchboard/')) {
    const name = specifier.split('/')[1];
    return name.endsWith('-service') ? `services/${name.replace(/-service$/, '')}` : name === 'cli' ? 'cli' : `libs/${name}`;
  }
  if (!specifier.startsWith('.')) return 'external';
  const parts = path.relative(root, path.resolve(path.dirname(file), specifier)).split(path.sep);
  return parts[0] === 'services' || parts[0] === 'libs' ? `${parts[0]}/${parts[1]}` : parts[0];
}

describe('module boundaries', () => {
  const services = readdirSync(path.join(root, 'services'));
  const libs = readdirSync(path.join(root, 'libs'));

  it.each(services)('services/%s imports only libs and itself', (service) => {
    const offending = sourceFiles(path.join(root, 'services', service, 'src')).flatMap((file) =>
      importsOf(file)
        .map((spec) => ({ file: path.relative(root, file), spec, to: target(file, spec) }))
        .filter(({ to }) => to !== 'external' && to !== `services/${service}` && !to.startsWith('libs/')),
    );
    expect(offending).toEqual([]);
  });

  it.each(libs)('libs/%s imports no service and not the CLI', (lib) => {
    const offending = sourceFiles(path.join(root, 'libs', lib, 'src')).flatMap((file) =>
      importsOf(file)
        .map((spec) => ({ file: path.relative(root, file), spec, to: target(file, spec) }))
        .filter(({ to }) => to.startsWith('services/') || to === 'cli'),
    );
    expect(offending).toEqual([]);
  });
});
