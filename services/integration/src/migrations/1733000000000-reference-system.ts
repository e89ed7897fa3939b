import type { MigrationInterface, QueryRunner } from 'typeorm';

// The reference order/CRM system: tau-retail's users, orders and products as documents, one row
// per record and tenant. `json` rather than `jsonb` keeps each document's field order, so results
// read exactly like tau-retail's own records.
export class ReferenceSystem1733000000000 implements MigrationInterface {
  name = 'ReferenceSystem1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table integration.users (
        tenant_id text not null,
        user_id text not null,
        document json not null,
        primary key (tenant_id, user_id)
      )`);
    await runner.query(`create index users_by_email on integration.users (tenant_id, lower(document->>'email'))`);
    await runner.query(`
      create table integration.orders (
        tenant_id text not null,
        order_id text not null,
        user_id text not null,
        document json not null,
        primary key (tenant_id, order_id)
      )`);
    await runner.query('create index orders_by_user on integration.orders (tenant_id, user_id)');
    await runner.query(`
      create table integration.products (
        tenant_id text not null,
        product_id text not null,
        document json not null,
        primary key (tenant_id, product_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table integration.products');
    await runner.query('drop table integration.orders');
    await runner.query('drop table integration.users');
  }
}
