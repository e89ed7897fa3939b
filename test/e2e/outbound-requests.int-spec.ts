// Requests the platform makes for a tenant, through the public REST API of a running stack (the
// gateway and integration processes on the real Kafka, Postgres and Redis; no allow-list, as
// shipped): a webhook URL at an internal address is refused when registered, in any spelling, and a
// host name that resolves to one is refused when the delivery connects (after DNS, so rebinding
// cannot pass) — nothing reaches the internal server, and the dead-letter list says only
// "refused: <reason>", never what a target answered. The event is published on the stack's
// ticket.events.v1, as ticketing would: no customer turn is needed, so the other services stay off.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { create, TicketCreatedSchema, TicketEventSchema, Topics } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

describe('outbound requests (webhooks) on a running stack', () => {
  let t: TestStack;
  let adminKey: string;
  let internal: Server;
  let internalPort: number;
  let connections = 0;

  beforeAll(async () => {
    // An "internal" service on loopback, standing in for an admin port or a database.
    internal = createServer((socket) => {
      connections += 1;
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 14\r\n\r\ninternal-reply');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalPort = (internal.address() as { port: number }).port;
    t = await startTestStack({ services: ['integration', 'gateway'] });
    adminKey = await t.createApiKey(DEMO_TENANT, ['kb:admin']);
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => internal?.close(resolve));
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data/iam/security-credentials/', 'cloud metadata address'],
    ['https://0xa9fea9fe/latest/meta-data/', 'cloud metadata address'],
    ['https://127.0.0.1:5432/', 'loopback address'],
    ['https://0x7f000001/hook', 'loopback address'],
    ['https://2130706433/hook', 'loopback address'],
    ['https://[::1]/hook', 'loopback address'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback address'],
    ['https://10.0.0.1/hook', 'private address'],
    ['https://192.168.1.1/hook', 'private address'],
    ['https://[fe80::1]/hook', 'link-local address'],
    ['https://224.0.0.1/hook', 'multicast address'],
    ['https://0.0.0.0/hook', 'unspecified address'],
    ['http://93.184.215.14/hook', "plain http to an address not on the operator's allow-list (use https)"],
  ])('refuses to register %s with a 400 naming the field, and stores nothing', async (url, reason) => {
    const res = await t.rest('POST', '/v1/webhooks', { key: adminKey, json: { url, eventTypes: ['conversation.*'] } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`url is refused: ${reason}`);
    const listed = await t.rest('GET', '/v1/webhooks', { key: adminKey });
    expect(JSON.stringify(listed.body)).not.toContain(url.replace(/\/[^/]*$/, ''));
  });

  it('refuses, when delivering, a host name that resolves to loopback; the dead letter says only why', async () => {
    const url = `https://localhost:${internalPort}/hook`;
    const registered = await t.rest('POST', '/v1/webhooks', { key: adminKey, json: { url, eventTypes: ['ticket.*'] } });
    expect(registered.status).toBeLessThan(300); // a name is judged when it resolves, not before
    const endpointId = registered.body.endpoint.endpointId as string;

    const events = await connectTestBus('e2e-outbound-events', t.namespace);
    try {
      await events.bus.publish(
        Topics.ticketEvents,
        create(TicketEventSchema, {
          tenantId: DEMO_TENANT,
          ticketId: randomUUID(),
          eventId: randomUUID(),
          occurredAt: new Date().toISOString(),
          kind: {
            case: 'created',
            value: create(TicketCreatedSchema, {
              conversationId: randomUUID(),
              customerId: 'outbound-probe',
              department: 'orders',
              priority: 'normal',
              summary: 'probe',
              reason: 'customer asked',
            }),
          },
        }),
      );
    } finally {
      await events.close();
    }

    const dead = await waitFor(
      async () => {
        const res = await t.rest('GET', '/v1/webhooks/dead-letters', { key: adminKey });
        const mine = (res.body.deadLetters ?? []).filter((d: { endpointId: string }) => d.endpointId === endpointId);
        return mine.length > 0 ? mine : undefined;
      },
      'a dead-lettered delivery to the loopback name',
      60_000,
      500,
    );
    for (const letter of dead) {
      expect(letter.lastError).toBe('refused: loopback address');
      expect(letter.attempts).toBe(1); // refused at once, not retried for hours against the internal target
    }
    expect(JSON.stringify(dead)).not.toContain('internal-reply');
    expect(connections).toBe(0);
  });
});
