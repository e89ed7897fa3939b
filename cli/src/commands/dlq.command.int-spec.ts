// `switchboard dlq`, run as an operator runs it (the built CLI as a process) against the real Kafka:
// a consumer that fails dead-letters two tenants' messages; the operator lists them per tenant with
// the reason, shows one, fixes the cause and replays it to the group that failed; show and replay
// are audited in the message's tenant.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { create, InboundTurnSchema, Topics, type AuditEvent } from '@switchboard/contracts';
import { connectTestBus, deleteTopicsWithPrefix, uniqueName, waitFor } from '@switchboard/testing';
import { repoRoot } from '../paths';

const namespace = `${uniqueName('dlq').toLowerCase()}.`;
let t: Awaited<ReturnType<typeof connectTestBus>>;
let fixed = false;
const handled: string[] = [];
const audited: AuditEvent[] = [];

const turn = (tenantId: string, text: string) =>
  create(InboundTurnSchema, {
    tenantId,
    conversationId: randomUUID(),
    turnId: randomUUID(),
    clientMessageId: randomUUID(),
    customerId: 'cust-1',
    channel: 'web',
    locale: 'en',
    text,
    receivedAt: new Date().toISOString(),
  });

function switchboard(args: string[]) {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin/switchboard.js'), 'dlq', ...args, '--namespace', namespace], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  t = await connectTestBus('dlq-test', namespace);
  await t.bus.ensureTopics([Topics.inbound, Topics.auditEvents]);
  await t.bus.subscribe(
    Topics.inbound,
    async ({ message }) => {
      if (!fixed) throw new Error('order system unreachable');
      handled.push(message.turnId);
    },
    { groupId: 'turns', maxAttempts: 1 },
  );
  await t.bus.subscribe(
    Topics.auditEvents,
    async ({ message }) => {
      audited.push(message);
    },
    { groupId: 'audit' },
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
  await deleteTopicsWithPrefix(namespace).catch(() => undefined);
});

it('lists dead letters per tenant with the reason, shows one, and replays it once the cause is fixed; audited', async () => {
  const acme = turn('acme', 'where is my parcel?');
  const globex = turn('globex', 'cancel my order');
  const acmeEnvelope = await t.bus.publish(Topics.inbound, acme, { conversationId: acme.conversationId });
  await t.bus.publish(Topics.inbound, globex, { conversationId: globex.conversationId });

  const listed = await waitFor(
    () => {
      const run = switchboard(['list', '--json']);
      const lines = run.stdout.trim()
        ? run.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [];
      return lines.length === 2 ? lines : undefined;
    },
    'two dead letters',
    60_000,
    1000,
  );
  expect(listed.map((l) => l.tenantId).sort()).toEqual(['acme', 'globex']);

  const acmeOnly = switchboard(['list', '--json', '--tenant', 'acme', '--topic', Topics.inbound.name]);
  expect(acmeOnly.status).toBe(0);
  const [letter] = acmeOnly.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(letter).toMatchObject({
    tenantId: 'acme',
    group: 'turns',
    messageId: acmeEnvelope.messageId,
    reason: 'handler failed after 1 attempts: order system unreachable',
  });
  expect(letter.id).toMatch(new RegExp(`^${Topics.inbound.name.replace(/\./g, '\\.')}@0:\\d+$`));

  const shown = switchboard(['show', letter.id]);
  expect(shown.status).toBe(0);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    id: letter.id,
    topic: Topics.inbound.name,
    payload: expect.stringContaining('where is my parcel?'),
  });

  fixed = true;
  const replayed = switchboard(['replay', letter.id]);
  expect(replayed).toMatchObject({ status: 0, stdout: expect.stringContaining(`replayed ${letter.id} to ${Topics.inbound.name}`) });
  await waitFor(() => handled.includes(acme.turnId), 'the replayed turn handled by the group that failed', 30_000);
  expect(handled).toEqual([acme.turnId]); // globex's stays dead-lettered until replayed

  await waitFor(() => audited.length >= 2, 'two audit events', 30_000);
  expect(audited.map((a) => ({ tenantId: a.tenantId, action: a.action, resource: a.resource?.id, kind: a.actor?.kind }))).toEqual([
    { tenantId: 'acme', action: 'dlq.show', resource: letter.id, kind: 'system' },
    { tenantId: 'acme', action: 'dlq.replay', resource: letter.id, kind: 'system' },
  ]);
}, 180_000);

it('refuses a malformed id, an unknown one and a replay with no target, saying what to pass', () => {
  expect(switchboard(['show', 'nonsense'])).toMatchObject({
    status: 1,
    stderr: expect.stringContaining('is not <topic>@<partition>:<offset>'),
  });
  expect(switchboard(['show', `${Topics.inbound.name}@0:99999`])).toMatchObject({
    status: 1,
    stderr: expect.stringContaining(`no dead letter ${Topics.inbound.name}@0:99999`),
  });
  expect(switchboard(['replay'])).toMatchObject({ status: 1, stderr: expect.stringContaining('or pass --all') });
}, 120_000);
