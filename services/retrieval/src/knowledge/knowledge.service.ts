// Ingests documents into a tenant's knowledge bases and searches them. Search runs on an
// in-memory keyword index per tenant, rebuilt when the tenant's revision in Postgres moves, so
// every replica serves the same knowledge. (Vector and hybrid search replace this in the
// knowledge-base issue; the interface stays.)
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { create, IngestDocumentResultSchema, SearchResultSchema, type IngestDocumentRequest, type IngestDocumentResult, type SearchRequest, type SearchResult } from '@switchboard/contracts';
import { KeywordIndex } from './keyword-index';
import { chunkMarkdown } from './markdown-chunker';
import { KnowledgeRepository, type StoredChunk } from './knowledge.repository';

interface TenantIndex {
  revision: number;
  index: KeywordIndex<StoredChunk>;
}

@Injectable()
export class KnowledgeService {
  private readonly indexes = new Map<string, TenantIndex>();

  constructor(private readonly repository: KnowledgeRepository) {}

  async ingest(request: IngestDocumentRequest): Promise<IngestDocumentResult> {
    const contentHash = createHash('sha256').update(request.content).digest('hex');
    // Plain text has no headings; the chunker then treats it as one section.
    const chunks = chunkMarkdown(request.documentId, request.content);
    if ((await this.repository.contentHash(request.tenantId, request.documentId)) !== contentHash) {
      await this.repository.replaceDocument(
        { tenantId: request.tenantId, id: request.documentId, knowledgeBaseId: request.knowledgeBaseId, title: request.title, contentType: request.contentType, contentHash },
        chunks,
      );
    }
    return create(IngestDocumentResultSchema, { documentId: request.documentId, chunks: chunks.length });
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const { index } = await this.indexFor(request.tenantId);
    const wanted = new Set(request.knowledgeBaseIds);
    const hits = index
      .search(request.query, request.limit * 3)
      .filter((hit) => wanted.size === 0 || wanted.has(hit.item.knowledgeBaseId))
      .slice(0, request.limit);
    return create(SearchResultSchema, {
      passages: hits.map(({ item, score }) => ({
        id: item.id,
        documentId: item.documentId,
        title: [item.title, ...item.sectionPath.slice(item.sectionPath[0] === item.title ? 1 : 0)].join(' > '),
        text: item.text,
        score,
      })),
    });
  }

  private async indexFor(tenantId: string): Promise<TenantIndex> {
    const revision = await this.repository.revision(tenantId);
    const cached = this.indexes.get(tenantId);
    if (cached && cached.revision === revision) return cached;
    const index = new KeywordIndex<StoredChunk>();
    index.add(await this.repository.chunksOf(tenantId));
    const fresh = { revision, index };
    this.indexes.set(tenantId, fresh);
    return fresh;
  }
}
