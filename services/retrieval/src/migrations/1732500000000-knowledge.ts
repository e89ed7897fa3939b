import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Knowledge1732500000000 implements MigrationInterface {
  name = 'Knowledge1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table retrieval.documents (
        tenant_id text not null,
        id text not null,
        knowledge_base_id text not null,
        title text not null,
        content_type text not null,
        content_hash text not null,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id)
      )`);
    await runner.query(`
      create table retrieval.chunks (
        tenant_id text not null,
        id text not null,
        document_id text not null,
        knowledge_base_id text not null,
        position int not null,
        section_path text[] not null,
        text text not null,
        primary key (tenant_id, id),
        foreign key (tenant_id, document_id) references retrieval.documents (tenant_id, id) on delete cascade
      )`);
    await runner.query('create index chunks_by_document on retrieval.chunks (tenant_id, document_id)');
    // Bumped on every change to a tenant's knowledge, so replicas know when to reload.
    await runner.query('create table retrieval.tenant_revisions (tenant_id text primary key, revision bigint not null)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table retrieval.tenant_revisions');
    await runner.query('drop table retrieval.chunks');
    await runner.query('drop table retrieval.documents');
  }
}
