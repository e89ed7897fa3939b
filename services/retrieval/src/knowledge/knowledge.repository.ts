// Knowledge bases, documents (with their live version) and chunks in the retrieval schema — the
// source of truth the vector store is built from — plus the embedding cache.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keywordsOf, type EmbeddingCache, type KnowledgeUnit } from '@switchboard/knowledge';

export interface KnowledgeBaseRow {
  id: string;
  name: string;
  embeddingModel: string;
  dimension: number;
  documents: number;
  chunks: number;
}

export interface DocumentRow {
  knowledgeBaseId: string;
  id: string;
  title: string;
  kind: string;
  language: string;
  accessLevel: number;
  contentHash: string;
  liveVersion: number;
  status: 'ingesting' | 'ready' | 'failed';
  error: string;
  chunkCount: number;
  updatedAt: Date;
}

export interface ChunkRow {
  position: number;
  title: string;
  text: string;
  indexedText: string;
  faqId: string;
  faqApproved: boolean;
}

export interface DocumentMeta {
  tenantId: string;
  knowledgeBaseId: string;
  id: string;
  title: string;
  kind: string;
  language: string;
  accessLevel: number;
  tags: string[];
  product: string;
  validFrom: Date | null;
  validTo: Date | null;
  contentHash: string;
}

/** What a tenant's searches need to know, rebuilt when its revision moves. */
export interface TenantKnowledge {
  revision: number;
  /** Knowledge base id → its embedding model. */
  models: Map<string, string>;
  /** Knowledge base id → its calibrated word-for-word floor (absent: the model's). */
  floors: Map<string, number>;
  /** `${kb}/${document}` → live version. */
  liveVersions: Map<string, number>;
  /** `${kb}/${document}/${faqId}` → approved answer. */
  approved: Map<string, { question: string; answer: string }>;
}

@Injectable()
export class KnowledgeRepository implements EmbeddingCache {
  constructor(private readonly db: DataSource) {}

  async createKnowledgeBase(tenantId: string, id: string, name: string, model: string, dimension: number): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        'insert into retrieval.knowledge_bases (tenant_id, id, name, embedding_model, dimension) values ($1, $2, $3, $4, $5) on conflict (tenant_id, id) do nothing',
        [tenantId, id, name, model, dimension],
      );
      await this.bumpRevision(m, tenantId);
    });
  }

  async knowledgeBases(tenantId: string, id?: string): Promise<KnowledgeBaseRow[]> {
    const rows: Array<{ id: string; name: string; embedding_model: string; dimension: number; documents: string; chunks: string }> =
      await this.db.query(
        `select kb.id, kb.name, kb.embedding_model, kb.dimension,
              count(d.id) as documents, coalesce(sum(d.chunk_count), 0) as chunks
         from retrieval.knowledge_bases kb
         left join retrieval.documents d on d.tenant_id = kb.tenant_id and d.knowledge_base_id = kb.id and d.status = 'ready'
        where kb.tenant_id = $1 and ($2::text is null or kb.id = $2)
        group by kb.id, kb.name, kb.embedding_model, kb.dimension order by kb.id`,
        [tenantId, id ?? null],
      );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      embeddingModel: r.embedding_model,
      dimension: r.dimension,
      documents: Number(r.documents),
      chunks: Number(r.chunks),
    }));
  }

  /** Marks the document as being ingested and returns the version to write. */
  async beginIngest(meta: DocumentMeta): Promise<{ version: number; unchanged: boolean }> {
    return this.db.transaction(async (m) => {
      const existing: Array<{ live_version: number; content_hash: string; status: string }> = await m.query(
        'select live_version, content_hash, status from retrieval.documents where tenant_id = $1 and knowledge_base_id = $2 and id = $3 for update',
        [meta.tenantId, meta.knowledgeBaseId, meta.id],
      );
      const current = existing[0];
      if (current && current.content_hash === meta.contentHash && current.status === 'ready')
        return { version: current.live_version, unchanged: true };
      await m.query(
        `insert into retrieval.documents (tenant_id, knowledge_base_id, id, title, kind, language, access_level, tags, product, valid_from, valid_to, content_hash, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'ingesting')
         on conflict (tenant_id, knowledge_base_id, id) do update set status = 'ingesting', error = '', updated_at = now()`,
        [
          meta.tenantId,
          meta.knowledgeBaseId,
          meta.id,
          meta.title,
          meta.kind,
          meta.language,
          meta.accessLevel,
          meta.tags,
          meta.product,
          meta.validFrom,
          meta.validTo,
          meta.contentHash,
        ],
      );
      return { version: (current?.live_version ?? 0) + 1, unchanged: false };
    });
  }

  /** Swaps the new version in: searches see the old version or the new one, never a mix. */
  async completeIngest(meta: DocumentMeta, version: number, units: KnowledgeUnit[]): Promise<void> {
    await this.db.transaction(async (m) => {
      for (let start = 0; start < units.length; start += 500) {
        const batch = units.slice(start, start + 500);
        const columns = 12;
        const values = batch
          .map((_, i) => `(${Array.from({ length: columns }, (__, j) => `$${i * columns + j + 1}`).join(', ')})`)
          .join(', ');
        await m.query(
          `insert into retrieval.chunks (tenant_id, knowledge_base_id, document_id, version, position, text, title, embed_text, faq_id, faq_question, faq_answer, faq_approved) values ${values}
           on conflict do nothing`,
          batch.flatMap((u) => [
            meta.tenantId,
            meta.knowledgeBaseId,
            meta.id,
            version,
            u.position,
            u.text,
            u.title,
            u.embedText,
            u.faqId,
            u.faq?.question ?? '',
            u.faq?.answer ?? '',
            u.faq?.approved ?? false,
          ]),
        );
      }
      await m.query(
        `update retrieval.documents set live_version = $4, status = 'ready', error = '', chunk_count = $5, title = $6, kind = $7, language = $8, access_level = $9,
                tags = $10, product = $11, valid_from = $12, valid_to = $13, content_hash = $14, updated_at = now()
          where tenant_id = $1 and knowledge_base_id = $2 and id = $3`,
        [
          meta.tenantId,
          meta.knowledgeBaseId,
          meta.id,
          version,
          units.length,
          meta.title,
          meta.kind,
          meta.language,
          meta.accessLevel,
          meta.tags,
          meta.product,
          meta.validFrom,
          meta.validTo,
          meta.contentHash,
        ],
      );
      await m.query('delete from retrieval.chunks where tenant_id = $1 and knowledge_base_id = $2 and document_id = $3 and version <> $4', [
        meta.tenantId,
        meta.knowledgeBaseId,
        meta.id,
        version,
      ]);
      await this.bumpRevision(m, meta.tenantId);
    });
  }

  async failIngest(meta: DocumentMeta, error: string): Promise<void> {
    await this.db.query(
      `update retrieval.documents set status = case when live_version > 0 then 'ready' else 'failed' end, error = $4, updated_at = now()
        where tenant_id = $1 and knowledge_base_id = $2 and id = $3`,
      [meta.tenantId, meta.knowledgeBaseId, meta.id, error.slice(0, 2000)],
    );
  }

  async deleteDocument(tenantId: string, knowledgeBaseId: string, id: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      // Counted in a CTE: TypeORM returns [rows, count] for a bare DELETE … RETURNING.
      const [{ n }]: Array<{ n: number }> = await m.query(
        'with d as (delete from retrieval.documents where tenant_id = $1 and knowledge_base_id = $2 and id = $3 returning id) select count(*)::int as n from d',
        [tenantId, knowledgeBaseId, id],
      );
      if (n > 0) await this.bumpRevision(m, tenantId);
      return n > 0;
    });
  }

  async documents(tenantId: string, knowledgeBaseId?: string, id?: string): Promise<DocumentRow[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `select knowledge_base_id, id, title, kind, language, access_level, content_hash, live_version, status, error, chunk_count, updated_at
         from retrieval.documents where tenant_id = $1 and ($2::text is null or knowledge_base_id = $2) and ($3::text is null or id = $3)
        order by knowledge_base_id, id`,
      [tenantId, knowledgeBaseId ?? null, id ?? null],
    );
    return rows.map((r) => ({
      knowledgeBaseId: r.knowledge_base_id as string,
      id: r.id as string,
      title: r.title as string,
      kind: r.kind as string,
      language: r.language as string,
      accessLevel: r.access_level as number,
      contentHash: r.content_hash as string,
      liveVersion: r.live_version as number,
      status: r.status as DocumentRow['status'],
      error: r.error as string,
      chunkCount: r.chunk_count as number,
      updatedAt: r.updated_at as Date,
    }));
  }

  /** A page of the live version's chunks, in position order, with how many there are in all; undefined: no such document. */
  async chunks(
    tenantId: string,
    knowledgeBaseId: string,
    documentId: string,
    page: { offset: number; limit: number },
  ): Promise<{ version: number; total: number; chunks: ChunkRow[] } | undefined> {
    const [doc]: Array<{ live_version: number; chunk_count: number }> = await this.db.query(
      'select live_version, chunk_count from retrieval.documents where tenant_id = $1 and knowledge_base_id = $2 and id = $3',
      [tenantId, knowledgeBaseId, documentId],
    );
    if (!doc) return undefined;
    const rows: Array<{ position: number; title: string; text: string; embed_text: string; faq_id: string; faq_approved: boolean }> =
      await this.db.query(
        `select position, title, text, embed_text, faq_id, faq_approved from retrieval.chunks
          where tenant_id = $1 and knowledge_base_id = $2 and document_id = $3 and version = $4
          order by position offset $5 limit $6`,
        [tenantId, knowledgeBaseId, documentId, doc.live_version, page.offset, page.limit],
      );
    return {
      version: doc.live_version,
      total: doc.chunk_count,
      chunks: rows.map((r) => ({
        position: r.position,
        title: r.title,
        text: r.text,
        indexedText: r.embed_text,
        faqId: r.faq_id,
        faqApproved: r.faq_approved,
      })),
    };
  }

  /**
   * Sets the approval of an FAQ entry's answer in the live version of its document; the tenant's
   * searches see it at their next revision check. Undefined: no such entry in the live version.
   */
  async approveAnswer(
    tenantId: string,
    knowledgeBaseId: string,
    documentId: string,
    faqId: string,
    approved: boolean,
  ): Promise<{ version: number } | undefined> {
    return this.db.transaction(async (m) => {
      const rows: Array<{ version: number }> = await m.query(
        `with c as (
           update retrieval.chunks c set faq_approved = $5
             from retrieval.documents d
            where d.tenant_id = $1 and d.knowledge_base_id = $2 and d.id = $3
              and c.tenant_id = d.tenant_id and c.knowledge_base_id = d.knowledge_base_id and c.document_id = d.id
              and c.version = d.live_version and c.faq_id = $4
           returning c.version)
         select distinct version from c`,
        [tenantId, knowledgeBaseId, documentId, faqId, approved],
      );
      if (rows.length === 0) return undefined;
      await this.bumpRevision(m, tenantId);
      return { version: rows[0].version };
    });
  }

  async documentMeta(
    tenantId: string,
    knowledgeBaseId: string,
    id: string,
  ): Promise<{ tags: string[]; product: string; validFrom: Date | null; validTo: Date | null }> {
    const [row]: Array<{ tags: string[]; product: string; valid_from: Date | null; valid_to: Date | null }> = await this.db.query(
      'select tags, product, valid_from, valid_to from retrieval.documents where tenant_id = $1 and knowledge_base_id = $2 and id = $3',
      [tenantId, knowledgeBaseId, id],
    );
    return { tags: row.tags, product: row.product, validFrom: row.valid_from, validTo: row.valid_to };
  }

  /** The live version's units, as stored at ingestion: enough to embed them again. */
  async liveUnits(tenantId: string, knowledgeBaseId: string, documentId: string): Promise<KnowledgeUnit[]> {
    const rows: Array<{
      position: number;
      text: string;
      title: string;
      embed_text: string;
      faq_id: string;
      faq_question: string;
      faq_answer: string;
      faq_approved: boolean;
    }> = await this.db.query(
      `select c.position, c.text, c.title, c.embed_text, c.faq_id, c.faq_question, c.faq_answer, c.faq_approved from retrieval.chunks c
         join retrieval.documents d on d.tenant_id = c.tenant_id and d.knowledge_base_id = c.knowledge_base_id and d.id = c.document_id and d.live_version = c.version
        where c.tenant_id = $1 and c.knowledge_base_id = $2 and c.document_id = $3 order by c.position`,
      [tenantId, knowledgeBaseId, documentId],
    );
    return rows.map((r) => ({
      id: `${documentId}#${r.position}`,
      position: r.position,
      text: r.text,
      title: r.title,
      embedText: r.embed_text,
      // As unitsOf builds them: an FAQ phrasing's keywords include the question; the answer's do not.
      keywords: keywordsOf(r.faq_id && r.position % 100 !== 99 ? `${r.embed_text} ${r.faq_question}` : r.embed_text),
      faqId: r.faq_id,
      faq: r.faq_id
        ? { faqId: r.faq_id, question: r.faq_question, altQuestions: [], answer: r.faq_answer, approved: r.faq_approved, tags: [] }
        : undefined,
    }));
  }

  /** Records a knowledge base's calibrated word-for-word floor (null = back to the model's). */
  async setConfidenceFloor(tenantId: string, knowledgeBaseId: string, floor: number | null): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('update retrieval.knowledge_bases set standard_answer_floor = $3 where tenant_id = $1 and id = $2', [
        tenantId,
        knowledgeBaseId,
        floor,
      ]);
      await this.bumpRevision(m, tenantId);
    });
  }

  async switchModel(tenantId: string, knowledgeBaseId: string, model: string, dimension: number): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('update retrieval.knowledge_bases set embedding_model = $3, dimension = $4 where tenant_id = $1 and id = $2', [
        tenantId,
        knowledgeBaseId,
        model,
        dimension,
      ]);
      await this.bumpRevision(m, tenantId);
    });
  }

  async revision(tenantId: string): Promise<number> {
    const rows: Array<{ revision: string }> = await this.db.query('select revision from retrieval.tenant_revisions where tenant_id = $1', [
      tenantId,
    ]);
    return rows.length > 0 ? Number(rows[0].revision) : 0;
  }

  async tenantKnowledge(tenantId: string): Promise<TenantKnowledge> {
    const revision = await this.revision(tenantId);
    const kbs: Array<{ id: string; embedding_model: string; standard_answer_floor: number | null }> = await this.db.query(
      'select id, embedding_model, standard_answer_floor from retrieval.knowledge_bases where tenant_id = $1',
      [tenantId],
    );
    const docs: Array<{ knowledge_base_id: string; id: string; live_version: number }> = await this.db.query(
      'select knowledge_base_id, id, live_version from retrieval.documents where tenant_id = $1 and live_version > 0',
      [tenantId],
    );
    const faqs: Array<{ knowledge_base_id: string; document_id: string; faq_id: string; faq_question: string; faq_answer: string }> =
      await this.db.query(
        `select distinct c.knowledge_base_id, c.document_id, c.faq_id, c.faq_question, c.faq_answer from retrieval.chunks c
         join retrieval.documents d on d.tenant_id = c.tenant_id and d.knowledge_base_id = c.knowledge_base_id and d.id = c.document_id and d.live_version = c.version
        where c.tenant_id = $1 and c.faq_approved`,
        [tenantId],
      );
    return {
      revision,
      models: new Map(kbs.map((kb) => [kb.id, kb.embedding_model])),
      floors: new Map(
        kbs.flatMap((kb) => (kb.standard_answer_floor === null ? [] : [[kb.id, Number(kb.standard_answer_floor)] as [string, number]])),
      ),
      liveVersions: new Map(docs.map((d) => [`${d.knowledge_base_id}/${d.id}`, d.live_version])),
      approved: new Map(
        faqs.map((f) => [`${f.knowledge_base_id}/${f.document_id}/${f.faq_id}`, { question: f.faq_question, answer: f.faq_answer }]),
      ),
    };
  }

  async get(model: string, hashes: string[]): Promise<Map<string, Float32Array>> {
    if (hashes.length === 0) return new Map();
    const rows: Array<{ content_hash: string; vector: Buffer }> = await this.db.query(
      'select content_hash, vector from retrieval.embedding_cache where model = $1 and content_hash = any($2)',
      [model, hashes],
    );
    return new Map(
      rows.map((r) => [
        r.content_hash,
        new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)),
      ]),
    );
  }

  async put(model: string, entries: Array<[string, Float32Array]>): Promise<void> {
    if (entries.length === 0) return;
    const values = entries.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
    await this.db.query(`insert into retrieval.embedding_cache (model, content_hash, vector) values ${values} on conflict do nothing`, [
      model,
      ...entries.flatMap(([hash, vector]) => [hash, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)]),
    ]);
  }

  private async bumpRevision(m: { query: DataSource['query'] }, tenantId: string): Promise<void> {
    await m.query(
      'insert into retrieval.tenant_revisions (tenant_id, revision) values ($1, 1) on conflict (tenant_id) do update set revision = retrieval.tenant_revisions.revision + 1',
      [tenantId],
    );
  }
}
