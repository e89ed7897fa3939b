// `switchboard config`: each service's configuration, from its own schema: check an environment
// against it, or regenerate the docs' tables of it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { checkConfig, envFromFile, EXIT_USAGE } from '../config/config-check';
import { CONFIG_DOC_FILES, renderConfigTables, withConfigRegion } from '../config/config-docs';
import { SERVICE_NAMES } from '../config/service-configs';
import { repoRoot } from '../paths';

export function configCommand(): Command {
  const config = new Command('config').description("each service's configuration (environment variables), from its own schema");

  config
    .command('check')
    .description(
      `validate an environment with a service's own config loader, without starting it: exit 0 when it would start, 1 naming each wrong or missing variable, 2 on a usage error. Values are never printed. Services: ${SERVICE_NAMES.join(', ')}`,
    )
    .option('-s, --service <name>', `the service to check for (${SERVICE_NAMES.join(', ')})`)
    .option('--env-file <file>', "check this file's NAME=value lines alone instead of the current environment")
    // A usage error (unknown option, missing value) exits 2, as a wrong --service does, not 1, which
    // means "the environment has problems".
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE))
    .action((options: { service?: string; envFile?: string }) => {
      let env: Record<string, string | undefined>;
      try {
        env = options.envFile ? envFromFile(options.envFile) : process.env;
      } catch (error) {
        console.error(`switchboard config check: ${(error as Error).message}`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      const result = checkConfig(options.service, env);
      for (const line of result.lines) (result.code === EXIT_USAGE ? console.error : console.log)(line);
      process.exitCode = result.code;
    });

  config
    .command('docs')
    .description(
      `rewrite the generated configuration tables of ${CONFIG_DOC_FILES.join(' and ')} from the services' schemas (npm run docs:config)`,
    )
    .action(() => {
      const tables = renderConfigTables();
      for (const file of CONFIG_DOC_FILES) {
        const full = path.join(repoRoot, file);
        writeFileSync(full, withConfigRegion(readFileSync(full, 'utf8'), tables, file));
        console.log(`wrote ${file}`);
      }
    });

  return config;
}
