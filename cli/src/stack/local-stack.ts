// Runs Switchboard's services as local Node processes: for `switchboard stack up`, the demo and the
// end-to-end tests. Each service is its own process (as in production), with its log in a file.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { shapeDefault } from '@switchboard/config';
import { SERVICE_CONFIGS } from '../config/service-configs';
import { repoRoot } from '../paths';

export const SERVICES = [
  'moderation',
  'retrieval',
  'generation',
  'integration',
  'ticketing',
  'analytics',
  'conversation',
  'gateway',
] as const;
/**
 * The agents' web console sits in front of the gateway and serves browsers only; `stack up` and
 * the demo start it, and end-to-end tests that drive a browser ask for it (the rest do without
 * one more process on a two-core machine).
 */
export const WITH_CONSOLE = [...SERVICES, 'console'] as const;
export type ServiceName = (typeof WITH_CONSOLE)[number];

/** A dev stack (offset 0) runs each service on its own default ports, from its config schema. */
const defaultHttpPort = (service: ServiceName): number => shapeDefault(SERVICE_CONFIGS[service].shape, 'HTTP_PORT');
const GRPC_PORT = shapeDefault(SERVICE_CONFIGS.gateway.shape, 'GRPC_PORT');
const GRPC_BESIDE_HTTP = 3050;

export interface StackOptions {
  /** Environment shared by every service (DATABASE_URL, KAFKA_NAMESPACE, …). */
  env: Record<string, string>;
  /** Added to every default port, so a second stack (tests, demo) can run beside a dev stack. */
  portOffset?: number;
  logDir: string;
  /** Detached processes keep running after this process exits (`stack up`); pid files track them. */
  detached?: boolean;
  runDir?: string;
  /** Options for node itself, before the service's script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

export class LocalStack {
  private readonly children = new Map<ServiceName, ChildProcess>();

  constructor(private readonly options: StackOptions) {}

  /** The environment every service of this stack gets (besides its ports). */
  get env(): Readonly<Record<string, string>> {
    return this.options.env;
  }

  httpPort(service: ServiceName): number {
    return defaultHttpPort(service) + (this.options.portOffset ?? 0);
  }

  /**
   * The gateway's default (50051) for the dev stack. An offset stack (tests, demo, bench) puts gRPC beside its HTTP ports
   * (3050 + offset), below Linux's ephemeral range (32768-60999): 50051 + n sat inside it, and a
   * Kafka, Postgres or Redis client socket holding that local port made the gateway fail with
   * EADDRINUSE now and then.
   */
  get grpcPort(): number {
    const offset = this.options.portOffset ?? 0;
    return offset === 0 ? GRPC_PORT : GRPC_BESIDE_HTTP + offset;
  }

  get grpcAddress(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  pid(service: ServiceName): number | undefined {
    return this.children.get(service)?.pid;
  }

  /** The service's process was started and has not exited (on its own or killed). */
  running(service: ServiceName): boolean {
    const child = this.children.get(service);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  logFile(service: ServiceName): string {
    return path.join(this.options.logDir, `${service}.log`);
  }

  start(service: ServiceName): void {
    mkdirSync(this.options.logDir, { recursive: true });
    const entry = path.join(repoRoot, 'services', service, 'dist', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
    const log = openSync(this.logFile(service), 'a');
    const child = spawn(process.execPath, ['--enable-source-maps', ...(this.options.nodeArgs ?? []), entry], {
      cwd: repoRoot,
      detached: this.options.detached ?? false,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        LOG_FORMAT: 'json',
        ...this.options.env,
        HTTP_PORT: String(this.httpPort(service)),
        GRPC_PORT: String(this.grpcPort),
        // The console calls this stack's gateway, wherever the port offset put it.
        GATEWAY_URL: `http://127.0.0.1:${this.httpPort('gateway')}`,
      },
    });
    closeSync(log);
    if (this.options.detached) {
      child.unref();
      mkdirSync(this.runDir, { recursive: true });
      writeFileSync(this.pidFile(service), String(child.pid));
    }
    this.children.set(service, child);
  }

  async startAll(
    services: readonly ServiceName[] = SERVICES,
    onReady?: (service: ServiceName, ms: number) => void,
    readyTimeoutMs?: number,
  ): Promise<void> {
    for (const s of services) this.start(s);
    await Promise.all(
      services.map(async (s) => {
        const started = Date.now();
        await this.waitReady(s, readyTimeoutMs);
        onReady?.(s, Date.now() - started);
      }),
    );
  }

  /** Waits until /health/ready answers 200; fails with the end of the service's log otherwise. */
  async waitReady(service: ServiceName, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.children.get(service);
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null) throw new Error(`${service} exited with code ${child.exitCode}:\n${this.tail(service)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.httpPort(service)}/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${service} was not ready within ${timeoutMs} ms:\n${this.tail(service)}`);
  }

  /** Stops a service the hard way, as a crash or an OOM kill would. */
  async kill(service: ServiceName): Promise<void> {
    await this.signal(service, 'SIGKILL');
  }

  async stop(service: ServiceName): Promise<void> {
    await this.signal(service, 'SIGTERM');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...WITH_CONSOLE].reverse().map((s) => this.stop(s)));
  }

  /** Pids of detached services started by an earlier `stack up`. */
  runningFromPidFiles(): Array<{ service: ServiceName; pid: number }> {
    return WITH_CONSOLE.flatMap((service) => {
      const file = this.pidFile(service);
      if (!existsSync(file)) return [];
      const pid = Number(readFileSync(file, 'utf8'));
      return isAlive(pid) ? [{ service, pid }] : [];
    });
  }

  async stopFromPidFiles(): Promise<ServiceName[]> {
    const running = this.runningFromPidFiles();
    for (const { pid } of running) process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (running.some(({ pid }) => isAlive(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const { pid } of running) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const service of WITH_CONSOLE) rmSync(this.pidFile(service), { force: true });
    return running.map((r) => r.service);
  }

  private get runDir(): string {
    return this.options.runDir ?? path.join(this.options.logDir, '..', 'run');
  }

  private pidFile(service: ServiceName): string {
    return path.join(this.runDir, `${service}.pid`);
  }

  private async signal(service: ServiceName, signal: NodeJS.Signals): Promise<void> {
    const child = this.children.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    this.children.delete(service);
  }

  tail(service: ServiceName, lines = 30): string {
    try {
      return readFileSync(this.logFile(service), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
