import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge bases with their embedding model, versioned documents with metadata, and an
 * embedding cache. Replaces the first keyword-only tables (documents must be ingested again).
 */
export class KnowledgeBases1732600000000 implements MigrationInterface {
  name = 'KnowledgeBases1732600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('drop table retrieval.chunks');
    await runner.query('drop table retrieval.documents');
    await runner.query(`
      create table retrieval.knowledge_bases (
        tenant_id text not null,
        id text not null,
        name text not null,
        -- A model change means a re-index: vectors of different models never mix.
        embedding_model text not null,
        dimension int not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id)
      )`);
    await runner.query(`
      create table retrieval.documents (
        tenant_id text not null,
        knowledge_base_id text not null,
        id text not null,
        title text not null,
        kind text not null,
        language text not null,
        access_level int not null default 0,
        tags text[] not null default '{}',
        product text not null default '',
        valid_from timestamptz,
        valid_to timestamptz,
        content_hash text not null,
        -- Searches admit only this version; a new one is written beside it, then swapped in.
        live_version int not null default 0,
        status text not null check (status in ('ingesting', 'ready', 'failed')),
        error text not null default '',
        chunk_count int not null default 0,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, knowledge_base_id, id),
        foreign key (tenant_id, knowledge_base_id) references retrieval.knowledge_bases (tenant_id, id) on delete cascade
      )`);
    await runner.query(`
      create table retrieval.chunks (
        tenant_id text not null,
        knowledge_base_id text not null,
        document_id text not null,
        version int not null,
        position int not null,
        text text not null,
        title text not null,
        embed_text text not null,
        faq_id text not null default '',
        faq_question text not null default '',
        faq_answer text not null default '',
        faq_approved boolean not null default false,
        primary key (tenant_id, knowledge_base_id, document_id, version, position),
        foreign key (tenant_id, knowledge_base_id, document_id) references retrieval.documents (tenant_id, knowledge_base_id, id) on delete cascade
      )`);
    await runner.query(`
      create table retrieval.embedding_cache (
        model text not null,
        content_hash text not null,
        vector bytea not null,
        primary key (model, content_hash)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table retrieval.embedding_cache');
    await runner.query('drop table retrieval.chunks');
    await runner.query('drop table retrieval.documents');
    await runner.query('drop table retrieval.knowledge_bases');
  }
}
