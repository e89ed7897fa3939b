import type { MigrationInterface, QueryRunner } from 'typeorm';

// Encryption at rest of the reference CRM and the webhook tables (docs/integration.md).
//
// Users' and orders' documents become `text`, to hold `enc:v1:…` values; the service encrypts on
// write. A migration has no keys, so existing documents stay as they are (their JSON text, field
// order included): plaintext reads as legacy, and the service's start-up job (ReferenceStore.
// sealLegacyRows) encrypts them and fills the users' blind indexes, which stay null until then.
// The old lookup index read the email out of the JSON and goes; lookups use the blind indexes.
//
// Webhook deliveries get the customer and conversation they are about, so an erasure finds them
// (their payload is encrypted from now on). Existing payloads are still plaintext here, so they are
// read once to fill the two columns.
export class EncryptedRecords1768000000000 implements MigrationInterface {
  name = 'EncryptedRecords1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('drop index integration.users_by_email');
    await runner.query('alter table integration.users alter column document type text using document::text');
    await runner.query('alter table integration.users add column email_index text, add column name_zip_index text');
    await runner.query('create index users_by_email_index on integration.users (tenant_id, email_index)');
    await runner.query('create index users_by_name_zip_index on integration.users (tenant_id, name_zip_index)');
    await runner.query('alter table integration.orders alter column document type text using document::text');

    await runner.query('alter table integration.webhook_deliveries add column customer_id text, add column conversation_id text');
    // Ticket events name them inside `created`, conversation events at the top (and the customer in the kind).
    await runner.query(`
      update integration.webhook_deliveries
         set conversation_id = nullif(coalesce(payload::json->>'conversationId', payload::json->'created'->>'conversationId'), ''),
             customer_id = nullif(coalesce(payload::json->'created'->>'customerId', payload::json->'turnCompleted'->>'customerId', payload::json->'handoffRequested'->>'customerId'), '')
       where left(payload, 4) <> 'enc:'`);
    await runner.query(
      'create index webhook_deliveries_by_customer on integration.webhook_deliveries (tenant_id, customer_id) where customer_id is not null',
    );
    await runner.query(
      'create index webhook_deliveries_by_conversation on integration.webhook_deliveries (tenant_id, conversation_id) where conversation_id is not null',
    );
  }

  // Only possible while no document is encrypted yet (e.g. right after `up`).
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index integration.webhook_deliveries_by_conversation');
    await runner.query('drop index integration.webhook_deliveries_by_customer');
    await runner.query('alter table integration.webhook_deliveries drop column conversation_id, drop column customer_id');
    await runner.query('alter table integration.orders alter column document type json using document::json');
    await runner.query('drop index integration.users_by_name_zip_index');
    await runner.query('drop index integration.users_by_email_index');
    await runner.query('alter table integration.users drop column name_zip_index, drop column email_index');
    await runner.query('alter table integration.users alter column document type json using document::json');
    await runner.query(`create index users_by_email on integration.users (tenant_id, lower(document->>'email'))`);
  }
}
