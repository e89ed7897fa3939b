// The knowledge-base engine of a tenant: create knowledge bases, ingest documents (parse, chunk,
// embed only what changed, write the new version beside the old, swap), and search them
// (hybrid, filtered by tenant, knowledge base, access level and validity; standard answers).
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ApproveAnswerResultSchema,
  create,
  DeleteDocumentResultSchema,
  IngestDocumentResultSchema,
  KnowledgeBaseSchema,
  ListChunksResultSchema,
  ListDocumentsResultSchema,
  ListKnowledgeBasesResultSchema,
  SearchResultSchema,
  type ApproveAnswerRequest,
  type ApproveAnswerResult,
  type CreateKnowledgeBaseRequest,
  type DeleteDocumentRequest,
  type DeleteDocumentResult,
  type IngestDocumentRequest,
  type IngestDocumentResult,
  type KnowledgeBase,
  type ListChunksRequest,
  type ListChunksResult,
  type ListDocumentsRequest,
  type ListDocumentsResult,
  type ListKnowledgeBasesRequest,
  type ListKnowledgeBasesResult,
  type SearchRequest,
  type SearchResult,
} from '@switchboard/contracts';
import {
  calibrateFloor,
  collectionFor,
  defaultModelFor,
  DocumentError,
  KnowledgeIndexer,
  KnowledgeSearcher,
  parseDocument,
  phrasingPairs,
  similarityFloors,
  unitsOf,
  VectorStoreInputError,
  type KnowledgeHit,
  type KnowledgeUnit,
  type SearchMode,
  type VectorStore,
} from '@switchboard/knowledge';
import type { Embedder } from '@switchboard/embeddings';
import type { Logger } from '@switchboard/logging';
import { RetrievalError } from './retrieval.errors';
import { LOGGER } from '@switchboard/platform';
import { EmbedderRegistry } from './embedder-registry';
import { KnowledgeRepository, type DocumentMeta, type TenantKnowledge } from './knowledge.repository';

export const VECTOR_STORE = Symbol('VECTOR_STORE');

@Injectable()
export class KnowledgeService {
  private readonly tenants = new Map<string, TenantKnowledge>();

  constructor(
    private readonly repository: KnowledgeRepository,
    private readonly embedders: EmbedderRegistry,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async createKnowledgeBase(request: CreateKnowledgeBaseRequest): Promise<KnowledgeBase> {
    const model = request.embeddingModel || defaultModelFor(request.language || 'en');
    const embedder = await this.embedders.get(model).catch((error: Error) => {
      throw new RetrievalError('UNKNOWN_MODEL', `embedding model "${model}" is not available: ${error.message}`);
    });
    await this.repository.createKnowledgeBase(
      request.tenantId,
      request.knowledgeBaseId,
      request.name || request.knowledgeBaseId,
      model,
      embedder.dimension,
    );
    let [kb] = await this.repository.knowledgeBases(request.tenantId, request.knowledgeBaseId);
    if (kb.embeddingModel !== model && request.embeddingModel) {
      await this.reindex(request.tenantId, kb.id, kb.embeddingModel, model);
      [kb] = await this.repository.knowledgeBases(request.tenantId, request.knowledgeBaseId);
    }
    return create(KnowledgeBaseSchema, kb);
  }

  /**
   * A model change re-embeds every live chunk from Postgres into the new model's collection while
   * searches keep using the old one, then switches the knowledge base over in one transaction.
   */
  private async reindex(tenantId: string, knowledgeBaseId: string, oldModel: string, newModel: string): Promise<void> {
    const embedder = await this.embedders.get(newModel);
    const indexer = new KnowledgeIndexer(this.store, embedder, this.repository);
    const documents = await this.repository.documents(tenantId, knowledgeBaseId);
    for (const doc of documents.filter((d) => d.liveVersion > 0)) {
      const meta = await this.repository.documentMeta(tenantId, knowledgeBaseId, doc.id);
      const units = await this.repository.liveUnits(tenantId, knowledgeBaseId, doc.id);
      await indexer.index(
        {
          tenantId,
          knowledgeBaseId,
          documentId: doc.id,
          version: doc.liveVersion,
          language: doc.language,
          accessLevel: doc.accessLevel,
          tags: meta.tags,
          product: meta.product,
          validFrom: meta.validFrom?.getTime() ?? 0,
          validTo: meta.validTo?.getTime() ?? 0,
        },
        units,
      );
    }
    await this.repository.switchModel(tenantId, knowledgeBaseId, newModel, embedder.dimension);
    await this.store.delete(collectionFor(oldModel), { tenantId, knowledgeBaseId });
    this.log.info({ knowledgeBaseId, from: oldModel, to: newModel, documents: documents.length }, 'knowledge base re-indexed');
  }

  async ingest(request: IngestDocumentRequest): Promise<IngestDocumentResult> {
    const data = request.data.length > 0 ? Buffer.from(request.data) : Buffer.from(request.content, 'utf8');
    const parsed = await parseDocument({
      fileName: request.fileName || request.documentId,
      contentType: request.contentType || undefined,
      data,
      title: request.title || undefined,
    }).catch((error: unknown) => {
      if (error instanceof DocumentError) throw new RetrievalError(error.code, error.message);
      throw error;
    });
    const units = unitsOf(request.documentId, parsed);
    if (units.length === 0) throw new RetrievalError('EMPTY', `${request.fileName || request.documentId}: no text to index`);

    let [kb] = await this.repository.knowledgeBases(request.tenantId, request.knowledgeBaseId);
    if (!kb) {
      // Ingesting into a new knowledge base creates it, with the model for the document's language.
      await this.createKnowledgeBase({
        tenantId: request.tenantId,
        knowledgeBaseId: request.knowledgeBaseId,
        name: request.knowledgeBaseId,
        embeddingModel: '',
        language: parsed.language === 'zh' ? 'zh' : 'en',
      } as CreateKnowledgeBaseRequest);
      [kb] = await this.repository.knowledgeBases(request.tenantId, request.knowledgeBaseId);
    }
    const meta: DocumentMeta = {
      tenantId: request.tenantId,
      knowledgeBaseId: request.knowledgeBaseId,
      id: request.documentId,
      title: parsed.title,
      kind: parsed.kind,
      language: parsed.language,
      accessLevel: request.accessLevel,
      tags: request.tags,
      product: request.product,
      validFrom: request.validFrom ? new Date(request.validFrom) : null,
      validTo: request.validTo ? new Date(request.validTo) : null,
      contentHash: createHash('sha256')
        .update(data)
        .update(JSON.stringify([request.title, request.accessLevel, request.tags, request.product, request.validFrom, request.validTo]))
        .digest('hex'),
    };
    const { version, unchanged } = await this.repository.beginIngest(meta);
    // Unchanged and still in the vector store (a wiped vector directory must be refilled).
    if (unchanged && (await this.store.count(collectionFor(kb.embeddingModel), meta.tenantId).catch(() => 0)) > 0) {
      return create(IngestDocumentResultSchema, { documentId: meta.id, chunks: units.length, version, embedded: 0, unchanged: true });
    }

    const embedder = await this.embedders.get(kb.embeddingModel);
    const indexer = new KnowledgeIndexer(this.store, embedder, this.repository);
    try {
      const { embedded } = await indexer.index(
        {
          tenantId: meta.tenantId,
          knowledgeBaseId: meta.knowledgeBaseId,
          documentId: meta.id,
          version,
          language: meta.language,
          accessLevel: meta.accessLevel,
          tags: meta.tags,
          product: meta.product,
          validFrom: meta.validFrom?.getTime() ?? 0,
          validTo: meta.validTo?.getTime() ?? 0,
        },
        units,
      );
      await this.repository.completeIngest(meta, version, units);
      // The old version is no longer live; its records can go.
      await this.store.delete(indexer.collection, {
        tenantId: meta.tenantId,
        knowledgeBaseId: meta.knowledgeBaseId,
        documentId: meta.id,
        exceptDocumentVersion: version,
      });
      this.log.info(
        { knowledgeBaseId: meta.knowledgeBaseId, documentId: meta.id, version, units: units.length, embedded },
        'document ingested',
      );
      if (parsed.kind === 'faq') {
        // A refinement of an ingest that has already succeeded: failing it keeps the previous floor.
        await this.calibrate(meta, kb.embeddingModel, embedder, units).catch((error: unknown) =>
          this.log.warn(
            { knowledgeBaseId: meta.knowledgeBaseId, documentId: meta.id, error: (error as Error).message },
            'word-for-word floor not calibrated; the previous floor stays',
          ),
        );
      }
      return create(IngestDocumentResultSchema, { documentId: meta.id, chunks: units.length, version, embedded, unchanged: false });
    } catch (error) {
      await this.repository.failIngest(meta, (error as Error).message);
      throw error;
    }
  }

  /**
   * Fits the knowledge base's word-for-word floor on the FAQ's own alternative phrasings, now that
   * its new version is the only one in the store. An FAQ with too few alternatives leaves the
   * model's floor. The last FAQ ingested into a knowledge base sets its floor.
   */
  private async calibrate(meta: DocumentMeta, model: string, embedder: Embedder, units: KnowledgeUnit[]): Promise<void> {
    const searcher = new KnowledgeSearcher(this.store, embedder, collectionFor(model));
    // Every access level and any date: the floor is about the FAQ's wording, not who may read it.
    const filter = { tenantId: meta.tenantId, knowledgeBaseIds: [meta.knowledgeBaseId], maxAccessLevel: Number.MAX_SAFE_INTEGER, at: 0 };
    const floors = similarityFloors(model);
    const calibration = calibrateFloor(await phrasingPairs(searcher, units, filter, meta.id), floors.standardAnswer, floors.relevant);
    await this.repository.setConfidenceFloor(
      meta.tenantId,
      meta.knowledgeBaseId,
      calibration.source === 'phrasings' ? calibration.floor : null,
    );
    this.log.info({ knowledgeBaseId: meta.knowledgeBaseId, documentId: meta.id, ...calibration }, 'word-for-word floor calibrated');
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const knowledge = await this.tenantKnowledge(request.tenantId);
    // Served from the per-tenant cache: a search costs one revision lookup in Postgres, no more.
    const byModel = new Map<string, string[]>();
    for (const [kb, model] of knowledge.models) {
      if (request.knowledgeBaseIds.length === 0 || request.knowledgeBaseIds.includes(kb))
        byModel.set(model, [...(byModel.get(model) ?? []), kb]);
    }
    const mode = (request.mode || 'hybrid') as SearchMode;
    const results = await Promise.all(
      [...byModel].map(async ([model, kbIds]) => {
        const embedder = await this.embedders.get(model);
        const searcher = new KnowledgeSearcher(this.store, embedder, collectionFor(model));
        return searcher
          .search(request.query, {
            mode,
            limit: request.limit,
            filter: { tenantId: request.tenantId, knowledgeBaseIds: kbIds, maxAccessLevel: request.accessLevel, at: Date.now() },
            isLive: (r) => knowledge.liveVersions.get(`${r.knowledgeBaseId}/${r.documentId}`) === r.documentVersion,
            approvedAnswer: (r) => knowledge.approved.get(`${r.knowledgeBaseId}/${r.documentId}/${r.faqId}`),
            standardAnswerFloor: (r) => knowledge.floors.get(r.knowledgeBaseId),
          })
          .catch((error: unknown) => {
            // Knowledge bases whose vectors are gone (a wiped vector directory) answer nothing
            // rather than fail every turn; re-ingesting their documents refills them.
            if (!(error instanceof VectorStoreInputError && /does not exist/.test(error.message))) throw error;
            this.log.warn({ model, knowledgeBaseIds: kbIds }, 'no vector collection for these knowledge bases; re-ingest their documents');
            return { hits: [] as KnowledgeHit[], standardAnswer: undefined };
          });
      }),
    );
    const hits: KnowledgeHit[] = (
      results.length === 1 ? results[0].hits : mergeAcrossModels(results.map((r, i) => ({ model: [...byModel.keys()][i], hits: r.hits })))
    ).slice(0, request.limit);
    const standard = results
      .map((r) => r.standardAnswer)
      .filter((s) => s !== undefined)
      .sort((a, b) => b.confidence - a.confidence)[0];
    return create(SearchResultSchema, {
      passages: hits.map(passageOf),
      standardAnswer: standard && {
        faqId: standard.faqId,
        question: standard.question,
        answer: standard.answer,
        confidence: standard.confidence,
        knowledgeBaseId: standard.record.knowledgeBaseId,
        documentId: standard.record.documentId,
      },
    });
  }

  async listKnowledgeBases(request: ListKnowledgeBasesRequest): Promise<ListKnowledgeBasesResult> {
    const [knowledgeBases, revision] = await Promise.all([
      this.repository.knowledgeBases(request.tenantId),
      this.repository.revision(request.tenantId),
    ]);
    return create(ListKnowledgeBasesResultSchema, { knowledgeBases, revision: BigInt(revision) });
  }

  async documents(request: ListDocumentsRequest): Promise<ListDocumentsResult> {
    const rows = await this.repository.documents(request.tenantId, request.knowledgeBaseId || undefined, request.documentId || undefined);
    if (request.documentId && rows.length === 0) throw new RetrievalError('NOT_FOUND', `document "${request.documentId}" does not exist`);
    return create(ListDocumentsResultSchema, {
      documents: rows.map((d) => ({
        documentId: d.id,
        knowledgeBaseId: d.knowledgeBaseId,
        title: d.title,
        kind: d.kind,
        language: d.language,
        status: d.status,
        error: d.error,
        version: d.liveVersion,
        chunks: d.chunkCount,
        accessLevel: d.accessLevel,
        updatedAt: d.updatedAt.toISOString(),
      })),
    });
  }

  async chunks(request: ListChunksRequest): Promise<ListChunksResult> {
    const page = await this.repository.chunks(request.tenantId, request.knowledgeBaseId, request.documentId, {
      offset: request.offset,
      limit: request.limit,
    });
    if (!page) throw new RetrievalError('NOT_FOUND', `document "${request.documentId}" does not exist`);
    return create(ListChunksResultSchema, page);
  }

  async approveAnswer(request: ApproveAnswerRequest): Promise<ApproveAnswerResult> {
    const { tenantId, knowledgeBaseId, documentId, faqId, approved } = request;
    const done = await this.repository.approveAnswer(tenantId, knowledgeBaseId, documentId, faqId, approved);
    if (!done) throw new RetrievalError('NOT_FOUND', `FAQ entry "${faqId}" is not in the live version of document "${documentId}"`);
    this.log.info({ knowledgeBaseId, documentId, faqId, approved, version: done.version }, 'FAQ answer approval set');
    return create(ApproveAnswerResultSchema, { faqId, approved, version: done.version });
  }

  async deleteDocument(request: DeleteDocumentRequest): Promise<DeleteDocumentResult> {
    const [kb] = await this.repository.knowledgeBases(request.tenantId, request.knowledgeBaseId);
    const deleted = kb ? await this.repository.deleteDocument(request.tenantId, request.knowledgeBaseId, request.documentId) : false;
    if (kb)
      await this.store.delete(collectionFor(kb.embeddingModel), {
        tenantId: request.tenantId,
        knowledgeBaseId: request.knowledgeBaseId,
        documentId: request.documentId,
      });
    return create(DeleteDocumentResultSchema, { deleted });
  }

  private async tenantKnowledge(tenantId: string): Promise<TenantKnowledge> {
    const cached = this.tenants.get(tenantId);
    if (cached && cached.revision === (await this.repository.revision(tenantId))) return cached;
    const fresh = await this.repository.tenantKnowledge(tenantId);
    this.tenants.set(tenantId, fresh);
    return fresh;
  }
}

/**
 * Fused scores are relative to their own result list, so lists from different embedding models
 * are merged by how far each hit's similarity clears its model's relevance floor.
 */
function mergeAcrossModels(lists: Array<{ model: string; hits: KnowledgeHit[] }>): KnowledgeHit[] {
  const margin = (hit: KnowledgeHit, model: string) => (hit.similarity ?? 0) - similarityFloors(model).relevant;
  return lists
    .flatMap(({ model, hits }) => hits.map((hit) => ({ hit, key: margin(hit, model) })))
    .sort((a, b) => b.key - a.key)
    .map(({ hit }) => hit);
}

function passageOf({ record, score, similarity, relevant }: KnowledgeHit) {
  return {
    id: record.id,
    documentId: record.documentId,
    knowledgeBaseId: record.knowledgeBaseId,
    faqId: record.faqId,
    title: record.title,
    text: record.text,
    score,
    similarity: similarity ?? 0,
    relevant: relevant ?? false,
  };
}
