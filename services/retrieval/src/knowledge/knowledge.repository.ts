// Documents and chunks of every tenant's knowledge bases, in the retrieval schema.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Chunk } from './markdown-chunker';

export interface StoredChunk extends Chunk {
  knowledgeBaseId: string;
  title: string;
}

export interface DocumentRecord {
  tenantId: string;
  id: string;
  knowledgeBaseId: string;
  title: string;
  contentType: string;
  contentHash: string;
}

@Injectable()
export class KnowledgeRepository {
  constructor(private readonly db: DataSource) {}

  async contentHash(tenantId: string, documentId: string): Promise<string | undefined> {
    const rows: Array<{ content_hash: string }> = await this.db.query('select content_hash from retrieval.documents where tenant_id = $1 and id = $2', [tenantId, documentId]);
    return rows[0]?.content_hash;
  }

  /** Replaces a document and its chunks in one transaction: searches see the old or the new. */
  async replaceDocument(doc: DocumentRecord, chunks: Chunk[]): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('delete from retrieval.documents where tenant_id = $1 and id = $2', [doc.tenantId, doc.id]);
      await m.query(
        'insert into retrieval.documents (tenant_id, id, knowledge_base_id, title, content_type, content_hash) values ($1, $2, $3, $4, $5, $6)',
        [doc.tenantId, doc.id, doc.knowledgeBaseId, doc.title, doc.contentType, doc.contentHash],
      );
      for (const c of chunks) {
        await m.query(
          'insert into retrieval.chunks (tenant_id, id, document_id, knowledge_base_id, position, section_path, text) values ($1, $2, $3, $4, $5, $6, $7)',
          [doc.tenantId, c.id, doc.id, doc.knowledgeBaseId, c.position, c.sectionPath, c.text],
        );
      }
      await m.query(
        'insert into retrieval.tenant_revisions (tenant_id, revision) values ($1, 1) on conflict (tenant_id) do update set revision = retrieval.tenant_revisions.revision + 1',
        [doc.tenantId],
      );
    });
  }

  async revision(tenantId: string): Promise<number> {
    const rows: Array<{ revision: string }> = await this.db.query('select revision from retrieval.tenant_revisions where tenant_id = $1', [tenantId]);
    return rows.length > 0 ? Number(rows[0].revision) : 0;
  }

  async chunksOf(tenantId: string): Promise<StoredChunk[]> {
    const rows: Array<{ id: string; document_id: string; knowledge_base_id: string; position: number; section_path: string[]; text: string; title: string }> = await this.db.query(
      `select c.id, c.document_id, c.knowledge_base_id, c.position, c.section_path, c.text, d.title
         from retrieval.chunks c join retrieval.documents d on d.tenant_id = c.tenant_id and d.id = c.document_id
        where c.tenant_id = $1 order by c.document_id, c.position`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.id, documentId: r.document_id, knowledgeBaseId: r.knowledge_base_id, position: r.position, sectionPath: r.section_path, text: r.text, title: r.title }));
  }
}
