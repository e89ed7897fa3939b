// Migration 1768000000000 on a database written before encryption at rest: the documents keep
// reading, deliveries learn their customer and conversation from their (then plaintext) payloads,
// and the start-up job encrypts the documents and fills the blind indexes so lookups find users.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger } from '@switchboard/testing';
import { anOrder, pristine, referenceDataDir, testSealing } from '../../test/reference-fixture';
import { integrationDatabase, referenceSystemOn } from '../reference-system';
import { OPERATOR } from '../tools/operation-scope';
import { ReferenceSystem1733000000000 } from './1733000000000-reference-system';
import { Webhooks1734000000000 } from './1734000000000-webhooks';

it('keeps rows from before encryption readable, fills the delivery subjects, and the start-up job makes them findable', async () => {
  const database = await createTestDatabase();
  const raw = new Client({ connectionString: database.url });
  await raw.connect();
  try {
    const before = await openDatabase(
      { ...integrationDatabase, migrations: [ReferenceSystem1733000000000, Webhooks1734000000000], url: database.url },
      quietLogger(),
    );
    const order = anOrder((o) => o.status === 'delivered', 'delivered order');
    const user = pristine.users[order.user_id];
    await raw.query('insert into integration.users (tenant_id, user_id, document) values ($1, $2, $3)', [
      'acme',
      order.user_id,
      JSON.stringify(user),
    ]);
    await raw.query('insert into integration.orders (tenant_id, order_id, user_id, document) values ($1, $2, $3, $4)', [
      'acme',
      order.order_id,
      order.user_id,
      JSON.stringify(order),
    ]);
    const endpointId = randomUUID();
    const conversationId = randomUUID();
    await raw.query(
      `insert into integration.webhook_endpoints (tenant_id, endpoint_id, url, secret) values ('acme', $1, 'https://hooks.example.com', 'whsec_old')`,
      [endpointId],
    );
    const deliver = (eventId: string, payload: unknown) =>
      raw.query(
        `insert into integration.webhook_deliveries (tenant_id, delivery_id, endpoint_id, topic, event_id, event_type, payload) values ('acme', $1, $2, 't', $3, 'x', $4)`,
        [randomUUID(), endpointId, eventId, JSON.stringify(payload)],
      );
    await deliver('ticket', {
      tenantId: 'acme',
      ticketId: randomUUID(),
      created: { conversationId, customerId: 'cust-7', summary: 'Parcel lost' },
    });
    await deliver('turn', { tenantId: 'acme', conversationId, turnCompleted: { customerId: 'cust-7' } });
    await deliver('note', { tenantId: 'acme', ticketId: randomUUID(), noteAdded: { text: 'called back' } });
    await before.destroy();

    const db = await openDatabase({ ...integrationDatabase, url: database.url }, quietLogger());
    const system = referenceSystemOn(db, testSealing(), referenceDataDir);
    try {
      const subjects = await raw.query(
        'select event_id, customer_id, conversation_id from integration.webhook_deliveries order by event_id',
      );
      expect(subjects.rows).toEqual([
        { event_id: 'note', customer_id: null, conversation_id: null },
        { event_id: 'ticket', customer_id: 'cust-7', conversation_id: conversationId },
        { event_id: 'turn', customer_id: 'cust-7', conversation_id: conversationId },
      ]);
      // Legacy plaintext reads as it is; the lookup needs the index the job fills.
      await expect(system.tools.call('acme', 'get_order_details', { order_id: order.order_id }, OPERATOR)).resolves.toEqual({
        ok: true,
        result: order,
      });
      await expect(system.tools.call('acme', 'find_user_id_by_email', { email: user.email }, OPERATOR)).resolves.toMatchObject({
        ok: false,
      });

      await expect(system.store.sealLegacyRows()).resolves.toEqual({ users: 1, orders: 1, unreadable: [] });
      await expect(system.tools.call('acme', 'find_user_id_by_email', { email: user.email }, OPERATOR)).resolves.toEqual({
        ok: true,
        result: order.user_id,
      });
      await expect(system.tools.call('acme', 'get_user_details', { user_id: order.user_id }, OPERATOR)).resolves.toEqual({
        ok: true,
        result: user,
      });
      await expect(system.tools.call('acme', 'get_order_details', { order_id: order.order_id }, OPERATOR)).resolves.toEqual({
        ok: true,
        result: order,
      });
      const documents = await raw.query('select document from integration.users union all select document from integration.orders');
      expect(documents.rows.every((r: { document: string }) => r.document.startsWith('enc:v2:'))).toBe(true);
      await expect(system.store.sealLegacyRows()).resolves.toEqual({ users: 0, orders: 0, unreadable: [] });
    } finally {
      await system.close();
    }
  } finally {
    await raw.end();
    await database.drop();
  }
});
