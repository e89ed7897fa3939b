// `switchboard stack up|down|status`: run the whole stack locally and leave it serving.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { LocalStack, WITH_CONSOLE } from '../stack/local-stack';
import { localDir } from '../paths';
import { checkDatabases, defaults, kafka } from './infra';

export const DEV_KEY_FILE = path.join(localDir, 'demo-api-key');

export function devStack(): LocalStack {
  return new LocalStack({
    env: {
      NODE_ENV: 'development',
      DATABASE_URL: defaults.databaseUrl,
      REDIS_URL: defaults.redisUrl,
      KAFKA_BROKERS: defaults.kafkaBrokers,
      SEED_DEMO_TENANT: 'true',
      DEMO_TENANT_KEY_FILE: DEV_KEY_FILE,
    },
    logDir: path.join(localDir, 'logs'),
    detached: true,
  });
}

export function stackCommand(): Command {
  const stack = new Command('stack').description('run Switchboard locally: Kafka plus every service as its own process');

  stack
    .command('up')
    .description('start Kafka and every service in the background and leave them serving')
    .action(async () => {
      const local = devStack();
      if (local.runningFromPidFiles().length > 0) {
        console.error('The stack is already running (see "switchboard stack status"); stop it with "switchboard stack down".');
        process.exitCode = 1;
        return;
      }
      await checkDatabases(defaults.databaseUrl, defaults.redisUrl);
      if (!kafka('start')) throw new Error('Kafka did not start; see "deploy/kafka/kafka.sh logs".');
      console.log('Starting services…');
      await local.startAll(WITH_CONSOLE, (service, ms) =>
        console.log(`  ✓ ${service.padEnd(12)} ready in ${ms} ms  (http://127.0.0.1:${local.httpPort(service)}/health/ready)`),
      );
      console.log(`\nChatGateway gRPC: ${local.grpcAddress}`);
      console.log(`Web console: http://127.0.0.1:${local.httpPort('console')}/  (sign in as a user made with "npx switchboard users add")`);
      console.log(`Demo tenant API key (x-api-key): ${readFileSync(DEV_KEY_FILE, 'utf8').trim()}`);
      console.log(`Logs: ${path.join(localDir, 'logs')}/<service>.log   Stop: npx switchboard stack down`);
    });

  stack
    .command('down')
    .description('stop the services started by "stack up"')
    .option('--kafka', 'also stop the Kafka broker')
    .action(async (options: { kafka?: boolean }) => {
      const stopped = await devStack().stopFromPidFiles();
      console.log(stopped.length > 0 ? `Stopped: ${stopped.join(', ')}` : 'No services were running.');
      if (options.kafka) kafka('stop');
    });

  stack
    .command('status')
    .description('show which services run and whether each is ready')
    .action(async () => {
      const local = devStack();
      const running = new Map(local.runningFromPidFiles().map((r) => [r.service, r.pid]));
      for (const service of WITH_CONSOLE) {
        const pid = running.get(service);
        let ready = 'not running';
        if (pid) {
          const res = await fetch(`http://127.0.0.1:${local.httpPort(service)}/health/ready`, { signal: AbortSignal.timeout(3000) }).catch(
            () => undefined,
          );
          ready = res
            ? `${res.ok ? 'ready' : 'NOT READY'} ${JSON.stringify(((await res.json()) as { checks?: unknown }).checks ?? {})}`
            : 'not answering';
        }
        console.log(`${service.padEnd(12)} ${pid ? `pid ${pid}`.padEnd(10) : ''.padEnd(10)} ${ready}`);
      }
      if (existsSync(DEV_KEY_FILE)) console.log(`\nDemo tenant key file: ${DEV_KEY_FILE}`);
    });

  return stack;
}
