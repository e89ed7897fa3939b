// Starts a service: Nest app with our logger, HTTP for health/metrics, graceful shutdown, and a
// clear message (not a stack) when configuration is wrong.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { ConfigError } from '@switchboard/config';
import { createLogger, NestPinoLogger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';

export interface ServiceDefinition {
  module: DynamicModule;
  httpPort: number;
  bindHost: string;
  /** Extra transports (e.g. gRPC) to attach before listening. */
  configure?: (app: INestApplication) => Promise<void>;
}

export async function bootstrap(service: string, define: () => ServiceDefinition): Promise<INestApplication> {
  const log = createLogger(service);
  try {
    // Where start-up time goes: loading code, Nest's providers (connections, migrations, models),
    // the start-up hooks (consumers subscribing), the service's consumer group joining, then listening.
    const uptimeMs = () => Math.round(process.uptime() * 1000);
    // CPU as well as wall time: a restarting service competes for the cores with the ones serving.
    const cpuMs = () => {
      const { user, system } = process.cpuUsage();
      return Math.round((user + system) / 1000);
    };
    const loadedMs = uptimeMs();
    const loadedCpuMs = cpuMs();
    const { module, httpPort, bindHost, configure } = define();
    const app = await NestFactory.create(module, { logger: new NestPinoLogger(log) });
    const createdMs = uptimeMs();
    app.enableShutdownHooks();
    await configure?.(app);
    await app.init();
    const hookedMs = uptimeMs();
    await app.get(KafkaBus).start();
    const joinedMs = uptimeMs();
    await app.listen(httpPort, bindHost);
    const readyMs = uptimeMs();
    log.info(
      {
        httpPort,
        startup: {
          loadedMs,
          providersMs: createdMs - loadedMs,
          hooksMs: hookedMs - createdMs,
          joinMs: joinedMs - hookedMs,
          listenMs: readyMs - joinedMs,
          readyMs,
          loadedCpuMs,
          readyCpuMs: cpuMs(),
        },
      },
      `${service} ready`,
    );
    return app;
  } catch (error) {
    if (error instanceof ConfigError) log.fatal(error.message);
    else log.fatal({ err: error }, `${service} failed to start`);
    // Give pino a moment to flush before exiting.
    await new Promise((r) => setTimeout(r, 100));
    process.exit(1);
  }
}
