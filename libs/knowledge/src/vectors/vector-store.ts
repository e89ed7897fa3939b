// One interface over every vector store Switchboard runs on: Qdrant in production, LanceDB
// embedded on a single machine and in CI. Both must return the same results for the same data
// (test/contract: vector-store.contract.ts). Postgres stays the source of truth for chunks; a
// collection is a derived index that can always be rebuilt from it.

/** One searchable record: a chunk of a document, or one phrasing of an FAQ question. */
export interface ChunkRecord {
  /** Unique within the collection; safe to upsert again. */
  id: string;
  tenantId: string;
  knowledgeBaseId: string;
  documentId: string;
  /** Searches only admit the document's live version (see KnowledgeService). */
  documentVersion: number;
  position: number;
  /** What is shown and quoted. */
  text: string;
  /** Document title and section path, e.g. "Retail policy > Cancel pending order". */
  title: string;
  /** Our tokenizer's output joined by spaces (English stems, CJK bigrams): the keyword field. */
  keywords: string;
  language: string;
  /** 0 = public; higher levels need an asker with at least that level. */
  accessLevel: number;
  tags: string[];
  product: string;
  /** Epoch milliseconds; 0 = unbounded. */
  validFrom: number;
  validTo: number;
  /** Set for FAQ records: which entry this phrasing belongs to. */
  faqId: string;
  contentHash: string;
  /** L2-normalised embedding; its length is the collection's dimension. */
  vector: Float32Array;
}

export type StoredRecord = Omit<ChunkRecord, 'vector'>;

export interface SearchFilter {
  tenantId: string;
  /** Empty: every knowledge base of the tenant. */
  knowledgeBaseIds: string[];
  /** Records with accessLevel above this are never returned. */
  maxAccessLevel: number;
  /** Epoch ms; records outside [validFrom, validTo] (0 = unbounded) are not returned. 0 = ignore. */
  at: number;
}

export interface VectorHit {
  record: StoredRecord;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

/** What the searcher offers: hybrid fuses a dense and a keyword search (KnowledgeSearcher). */
export type SearchMode = 'dense' | 'keyword' | 'hybrid';

/** What a store runs: one list, dense or keyword; the searcher fuses them itself. */
export interface VectorQuery {
  mode: 'dense' | 'keyword';
  /** Required for dense. */
  vector?: Float32Array;
  /** The query's keywords (tokenizer output joined by spaces); required for keyword. */
  keywords?: string;
  limit: number;
  filter: SearchFilter;
}

export interface DeleteSelector {
  tenantId: string;
  knowledgeBaseId?: string;
  documentId?: string;
  /** Delete only versions of the document other than this one (after a swap). */
  exceptDocumentVersion?: number;
}

export interface VectorStore {
  readonly backend: 'lancedb' | 'qdrant';
  /** Creates the collection (and its indexes) when missing; a dimension mismatch is an error. */
  ensureCollection(collection: string, dimension: number): Promise<void>;
  upsert(collection: string, records: ChunkRecord[]): Promise<void>;
  delete(collection: string, selector: DeleteSelector): Promise<void>;
  search(collection: string, query: VectorQuery): Promise<VectorHit[]>;
  /** Folds new rows into indexes where the backend needs it (LanceDB); a no-op elsewhere. */
  optimize(collection: string): Promise<void>;
  count(collection: string, tenantId: string): Promise<number>;
  close(): Promise<void>;
}
