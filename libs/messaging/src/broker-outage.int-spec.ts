// A broker outage is waited out, never a crash: a process that serves and makes request-reply calls
// (as the conversation service does) keeps running while its PRIVATE broker is killed with
// requests in flight, and serves again soon after the broker is back. Prints the recovery time. A
// service whose broker cannot answer as it joins its consumer group waits too, instead of exiting.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Topics } from '@switchboard/contracts';
import { connectTestBus, PrivateKafka, testTurn, waitFor } from '@switchboard/testing';

const dist = (lib: string) => JSON.stringify(path.resolve(__dirname, '../..', lib, 'dist'));

// Serves a search topic and asks it every 100 ms with a 2 s timeout, catching every failure as a
// caller does; prints one line per outcome.
const service = `
  const { create } = require('@bufbuild/protobuf');
  const { connectTestBus } = require(${dist('testing')});
  const { Rpcs, SearchRequestSchema, SearchResultSchema } = require(${dist('contracts')});
  const { RpcClient, serveRpc } = require(${dist('messaging')});
  const log = require(${dist('testing')}).quietLogger();
  (async () => {
    const { bus } = await connectTestBus('outage');
    const search = { ...Rpcs.retrievalSearch, name: 'outage.search' };
    await bus.ensureTopics([{ name: search.name, partitions: 2 }]);
    await serveRpc(bus, search, async (req) => create(SearchResultSchema, { passages: [{ id: 'p', title: req.query, text: 't', score: 1 }] }), log);
    const client = new RpcClient(bus, log);
    await client.start();
    for (let i = 0; ; i += 1) {
      const started = Date.now();
      await client.request(search, create(SearchRequestSchema, { tenantId: 'tenant-outage', query: 'q' + i, limit: 1 }), { timeoutMs: 2000 })
        .then(() => console.log(JSON.stringify({ ok: true, at: Date.now(), ms: Date.now() - started })))
        .catch((error) => console.log(JSON.stringify({ ok: false, at: Date.now(), error: error.name })));
      await new Promise((r) => setTimeout(r, 100));
    }
  })().catch((error) => { console.error(error); process.exit(2); });
`;

describe('a broker outage', () => {
  let kafka: PrivateKafka;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    kafka = new PrivateKafka();
    await kafka.start();
  }, 180_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await kafka?.destroy();
  });

  it('is waited out by a process with requests in flight, which serves again soon after the broker is back', async () => {
    child = spawn(process.execPath, ['-e', service], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KAFKA_BROKERS: kafka.brokers.join(',') },
    });
    let exit: { code: number | null; signal: string | null } | undefined;
    child.on('exit', (code, signal) => (exit = { code, signal }));
    const outcomes: Array<{ ok: boolean; at: number; error?: string }> = [];
    createInterface({ input: child.stdout! }).on('line', (line) => outcomes.push(JSON.parse(line)));

    await waitFor(() => outcomes.filter((o) => o.ok).length >= 5, 'the process to serve requests', 120_000);
    await kafka.kill();
    const killedAt = Date.now();
    // Down for 10 s: every request in flight or started meanwhile times out while its send retries.
    await new Promise((r) => setTimeout(r, 10_000));
    expect(exit).toBeUndefined();
    expect(outcomes.filter((o) => o.at > killedAt + 2500 && o.ok)).toEqual([]);

    await kafka.start();
    const backAt = Date.now();
    const firstOk = await waitFor(
      () => outcomes.find((o) => o.ok && o.at > backAt),
      'a request answered after the broker is back',
      120_000,
      50,
    );
    const recovery = (firstOk.at - backAt) / 1000;
    console.log(
      `broker outage: down ${((backAt - killedAt) / 1000).toFixed(1)} s; first answer ${recovery.toFixed(1)} s after the broker accepted connections again; ` +
        `${outcomes.filter((o) => !o.ok).length} requests failed meanwhile (${[...new Set(outcomes.filter((o) => !o.ok).map((o) => o.error))].join(', ')}); process alive: ${exit === undefined}`,
    );
    await waitFor(() => outcomes.filter((o) => o.ok && o.at > firstOk.at).length >= 5, 'steady answers after recovery', 30_000);
    expect(exit).toBeUndefined();
    expect(recovery).toBeLessThanOrEqual(10);
  }, 300_000);

  it('is waited out by a service joining its consumer group, which then serves', async () => {
    child?.kill('SIGKILL');
    const { bus, close } = await connectTestBus('outage-start', '', { groupPerService: true, brokers: kafka.brokers });
    try {
      const topic = { ...Topics.inbound, name: 'outage.start' };
      await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
      const handled: string[] = [];
      await bus.subscribe(topic, async ({ message }) => void handled.push(message.text));
      await kafka.kill();
      let settled: string | undefined;
      const started = bus.start().then(
        () => (settled = 'joined'),
        (error: Error) => (settled = `failed: ${error.message}`),
      );
      await new Promise((r) => setTimeout(r, 3_000));
      expect(settled).toBeUndefined();

      await kafka.start();
      await started;
      expect(settled).toBe('joined');
      await bus.publish(topic, testTurn({ tenantId: 'tenant-outage', text: 'after' }));
      await waitFor(() => handled.includes('after'), 'the message published after the join', 30_000);
    } finally {
      await close();
    }
  }, 180_000);
});
