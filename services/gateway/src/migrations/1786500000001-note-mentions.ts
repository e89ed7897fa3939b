import type { MigrationInterface, QueryRunner } from 'typeorm';

// Who a ticket note mentions (mentions/mentions.service.ts): one row per mentioned user, unseen
// until they open the ticket. The note itself stays in ticketing; this keeps ids and names only.
export class NoteMentions1786500000001 implements MigrationInterface {
  name = 'NoteMentions1786500000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.note_mentions (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        ticket_id text not null,
        note_id text not null,
        username text not null,
        author text not null,
        created_at timestamptz not null default now(),
        seen_at timestamptz
      )`);
    await runner.query(
      'create index note_mentions_unseen on gateway.note_mentions (tenant_id, username, created_at) where seen_at is null',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.note_mentions');
  }
}
