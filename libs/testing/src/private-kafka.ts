// A Kafka broker of a test's own, for fault tests: it can be killed (`kill -9`) and started again
// on the same data, which the shared broker every other test uses must never be. Same JVM and jars
// as deploy/kafka/kafka.sh (KAFKA_LIBS_DIR, default <repo>/.local/kafka/libs), its own ports
// (from E2E_PORT_SLOT and the Jest worker) and a temporary data directory.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portOpen } from './private-redis';

const HOST = '127.0.0.1';

export interface PrivateKafka {
  brokers: string[];
  /** Starts the broker (again) on its data directory; resolves when it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL, as a crashed broker. */
  kill(): Promise<void>;
  /** Kills the broker and deletes its data. */
  destroy(): Promise<void>;
}

export function privateKafka(): PrivateKafka {
  const libs = process.env.KAFKA_LIBS_DIR ?? path.resolve(__dirname, '../../../.local/kafka/libs');
  if (!existsSync(libs)) throw new Error(`Kafka jars not found in ${libs}: run deploy/kafka/kafka.sh start once, or set KAFKA_LIBS_DIR`);
  const slot = (Number(process.env.E2E_PORT_SLOT ?? 0) * 10 + Number(process.env.JEST_WORKER_ID ?? 0)) % 100;
  // Below Linux's ephemeral range (32768-60999): there, any outgoing connection of the run may hold
  // the port at the moment the broker binds it (a CI run's private broker exited on start that way).
  const port = 31_000 + slot * 2;
  const controllerPort = port + 1;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-kafka-'));
  const properties = path.join(dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${HOST}:${controllerPort}`,
      `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://${HOST}:${port}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${path.join(dir, 'data')}`,
      'auto.create.topics.enable=false',
      'default.replication.factor=1',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'group.min.session.timeout.ms=3000',
      '',
    ].join('\n'),
  );
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : 'java';
  const jvm = ['-Xms128m', '-Xmx384m', `-Dkafka.logs.dir=${dir}`, '-Dlog4j2.level=warn', '-cp', `${libs}/*`];
  const format = spawnSync(
    java,
    [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      // Not starting with "-", which the tool's argument parser reads as an option (1 id in 64 did):
      // Kafka's own random ids avoid it for the same reason.
      randomBytes(16).toString('base64url').replace(/^-/, 'A'),
      '--config',
      properties,
      '--ignore-formatted',
    ],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) throw new Error(`formatting the private broker's storage failed: ${format.stderr || format.stdout}`);
  let child: ChildProcess | undefined;

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    brokers: [`${HOST}:${port}`],
    async start() {
      if (await portOpen(port))
        throw new Error(`port ${port} is taken; another private broker (E2E_PORT_SLOT ${process.env.E2E_PORT_SLOT ?? 0}) is running`);
      const output = path.join(dir, 'broker.out');
      const out = openSync(output, 'a');
      child = spawn(java, [...jvm, 'kafka.Kafka', properties], { stdio: ['ignore', out, out] });
      closeSync(out);
      const deadline = Date.now() + 120_000;
      while (!(await portOpen(port))) {
        if (child.exitCode !== null)
          throw new Error(
            `the private broker exited with code ${child.exitCode} while starting; its last words:\n${readFileSync(output, 'utf8').slice(-2000)}`,
          );
        if (Date.now() > deadline) throw new Error('the private broker did not accept connections within 120 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    kill,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
