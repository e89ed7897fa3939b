// Turns admin REST calls into kb.* requests to retrieval, checking every field on the way in.
import { Injectable } from '@nestjs/common';
import {
  ApproveAnswerRequestSchema,
  create,
  CreateKnowledgeBaseRequestSchema,
  DeleteDocumentRequestSchema,
  DOC_ID,
  FieldRules,
  IngestDocumentRequestSchema,
  KB_ID,
  ListChunksRequestSchema,
  ListDocumentsRequestSchema,
  ListKnowledgeBasesRequestSchema,
  MAX_TEXT,
  Rpcs,
  SearchRequestSchema,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { jsonBody } from '../http/json-body';

export interface UploadedDocument {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
  size: number;
}

// Ingestion embeds every chunk; a large PDF can take minutes on a small machine.
const INGEST_TIMEOUT_MS = 5 * 60_000;
const TIMEOUT_MS = 15_000;

// A non-string value is shown as JSON (never "[object Object]") so the field rules report what was sent.
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : JSON.stringify(v));

@Injectable()
export class KnowledgeAdminService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  @Audited('kb.create', 'knowledge_base', (a) => (a[1] as Record<string, unknown>).id)
  async create(caller: Principal, body: Record<string, unknown>) {
    const rules = new FieldRules()
      .check('id', KB_ID.test(str(body.id)), 'must be 1-64 lowercase letters, digits, _ or -')
      .maxLength('name', str(body.name), 200)
      .check('language', ['', 'en', 'zh'].includes(str(body.language)), 'must be en or zh')
      .maxLength('embeddingModel', str(body.embeddingModel), 64);
    this.ensure(rules);
    const request = create(CreateKnowledgeBaseRequestSchema, {
      tenantId: caller.tenantId,
      knowledgeBaseId: str(body.id),
      name: str(body.name),
      language: str(body.language),
      embeddingModel: str(body.embeddingModel),
    });
    const kb = await this.rpc.request(Rpcs.kbCreate, request, { timeoutMs: 60_000 });
    return jsonBody(Rpcs.kbCreate.response, kb);
  }

  @Audited('kb.list', 'knowledge_base')
  async list(caller: Principal) {
    return jsonBody(
      Rpcs.kbList.response,
      await this.rpc.request(Rpcs.kbList, create(ListKnowledgeBasesRequestSchema, { tenantId: caller.tenantId }), {
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }

  @Audited('kb.document.ingest', 'knowledge_base', 1)
  async ingest(caller: Principal, kb: string, file: UploadedDocument | undefined, body: Record<string, unknown>) {
    const documentId =
      str(body.documentId) || (file ? file.originalname.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') : '');
    const accessLevel = str(body.accessLevel) === '' ? 0 : Number(str(body.accessLevel));
    const tags =
      str(body.tags) === ''
        ? []
        : str(body.tags)
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean);
    const rules = new FieldRules()
      .check('knowledgeBaseId', KB_ID.test(kb), 'must be 1-64 lowercase letters, digits, _ or -')
      .check('file', file !== undefined && file.size > 0, 'is required: send the document as multipart form field "file"')
      .check('documentId', DOC_ID.test(documentId), 'must be 1-200 letters, digits, . _ or -')
      .check('accessLevel', Number.isInteger(accessLevel) && accessLevel >= 0 && accessLevel <= 100, 'must be an integer from 0 to 100')
      .maxLength('title', str(body.title), 500)
      .maxLength('product', str(body.product), 200)
      .noControl('title', str(body.title))
      .noControl('product', str(body.product))
      .noControl('tags', str(body.tags))
      .check('file.name', file === undefined || !/[\u0000-\u001f\u007f]/.test(file.originalname), 'must not contain control characters')
      .check('tags', tags.length <= 20, 'must be at most 20 comma-separated tags')
      .check('validFrom', str(body.validFrom) === '' || !Number.isNaN(Date.parse(str(body.validFrom))), 'must be an RFC 3339 time')
      .check('validTo', str(body.validTo) === '' || !Number.isNaN(Date.parse(str(body.validTo))), 'must be an RFC 3339 time');
    this.ensure(rules);
    const request = create(IngestDocumentRequestSchema, {
      tenantId: caller.tenantId,
      knowledgeBaseId: kb,
      documentId,
      title: str(body.title),
      fileName: file!.originalname,
      // Browsers send application/octet-stream for unknown types; then the extension decides.
      contentType: file!.mimetype === 'application/octet-stream' ? '' : file!.mimetype,
      data: new Uint8Array(file!.buffer),
      accessLevel,
      tags,
      product: str(body.product),
      validFrom: str(body.validFrom),
      validTo: str(body.validTo),
    });
    return jsonBody(Rpcs.kbIngest.response, await this.rpc.request(Rpcs.kbIngest, request, { timeoutMs: INGEST_TIMEOUT_MS }));
  }

  @Audited('kb.document.read', 'knowledge_base', 1)
  async documents(caller: Principal, kb: string, documentId = '') {
    this.ensure(
      new FieldRules()
        .check('knowledgeBaseId', KB_ID.test(kb), 'must be 1-64 lowercase letters, digits, _ or -')
        .check('documentId', documentId === '' || DOC_ID.test(documentId), 'must be 1-200 letters, digits, . _ or -'),
    );
    const result = await this.rpc.request(
      Rpcs.kbDocuments,
      create(ListDocumentsRequestSchema, { tenantId: caller.tenantId, knowledgeBaseId: kb, documentId }),
      { timeoutMs: TIMEOUT_MS },
    );
    const listed = jsonBody(Rpcs.kbDocuments.response, result) as { documents: unknown[] };
    return documentId ? listed.documents[0] : listed;
  }

  @Audited('kb.document.chunks', 'document', (a) => `${String(a[1])}/${String(a[2])}`)
  async chunks(caller: Principal, kb: string, documentId: string, query: { offset?: string; limit?: string }) {
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    this.ensure(
      new FieldRules()
        .check('knowledgeBaseId', KB_ID.test(kb), 'must be 1-64 lowercase letters, digits, _ or -')
        .check('documentId', DOC_ID.test(documentId), 'must be 1-200 letters, digits, . _ or -')
        .check('offset', Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000, 'must be a whole number from 0 to 1000000')
        .check('limit', Number.isInteger(limit) && limit >= 1 && limit <= 200, 'must be a whole number from 1 to 200'),
    );
    const result = await this.rpc.request(
      Rpcs.kbChunks,
      create(ListChunksRequestSchema, { tenantId: caller.tenantId, knowledgeBaseId: kb, documentId, offset, limit }),
      { timeoutMs: TIMEOUT_MS },
    );
    return jsonBody(Rpcs.kbChunks.response, result);
  }

  @Audited('kb.answer.approve', 'faq', (a) => `${String(a[1])}/${String(a[2])}/${String(a[3])}`)
  async approveAnswer(caller: Principal, kb: string, documentId: string, faqId: string, body: Record<string, unknown>) {
    this.ensure(
      new FieldRules()
        .check('knowledgeBaseId', KB_ID.test(kb), 'must be 1-64 lowercase letters, digits, _ or -')
        .check('documentId', DOC_ID.test(documentId), 'must be 1-200 letters, digits, . _ or -')
        .check('faqId', faqId.length >= 1 && faqId.length <= 200, 'must be 1-200 characters')
        .noControl('faqId', faqId)
        .check('approved', typeof body.approved === 'boolean', 'is required: true or false'),
    );
    const result = await this.rpc.request(
      Rpcs.kbApproveAnswer,
      create(ApproveAnswerRequestSchema, {
        tenantId: caller.tenantId,
        knowledgeBaseId: kb,
        documentId,
        faqId,
        approved: body.approved as boolean,
      }),
      { timeoutMs: TIMEOUT_MS },
    );
    return jsonBody(Rpcs.kbApproveAnswer.response, result);
  }

  @Audited('kb.document.delete', 'document', (a) => `${String(a[1])}/${String(a[2])}`)
  async remove(caller: Principal, kb: string, documentId: string) {
    this.ensure(
      new FieldRules()
        .check('knowledgeBaseId', KB_ID.test(kb), 'must be 1-64 lowercase letters, digits, _ or -')
        .check('documentId', DOC_ID.test(documentId), 'must be 1-200 letters, digits, . _ or -'),
    );
    const result = await this.rpc.request(
      Rpcs.kbDeleteDocument,
      create(DeleteDocumentRequestSchema, { tenantId: caller.tenantId, knowledgeBaseId: kb, documentId }),
      { timeoutMs: TIMEOUT_MS },
    );
    if (!result.deleted) throw new GatewayError('NOT_FOUND', `document "${documentId}" does not exist in knowledge base "${kb}"`);
    return jsonBody(Rpcs.kbDeleteDocument.response, result);
  }

  @Audited('kb.search', 'knowledge_base')
  async search(caller: Principal, body: Record<string, unknown>) {
    const limit = body.limit === undefined ? 5 : Number(body.limit);
    const kbs = Array.isArray(body.knowledgeBaseIds) ? body.knowledgeBaseIds.map(str) : [];
    // What the bot sees is level 0 (customers); an admin may look as far as internal passages go.
    const accessLevel = body.accessLevel === undefined ? 0 : Number(body.accessLevel);
    const rules = new FieldRules()
      .text('query', str(body.query), MAX_TEXT)
      .check('limit', Number.isInteger(limit) && limit >= 1 && limit <= 50, 'must be an integer from 1 to 50')
      .check('accessLevel', Number.isInteger(accessLevel) && accessLevel >= 0 && accessLevel <= 100, 'must be an integer from 0 to 100')
      .check('mode', ['', 'hybrid', 'keyword', 'dense'].includes(str(body.mode)), 'must be hybrid, keyword or dense')
      .check(
        'knowledgeBaseIds',
        kbs.every((id) => KB_ID.test(id)),
        'must be a list of knowledge base ids',
      );
    this.ensure(rules);
    const request = create(SearchRequestSchema, {
      tenantId: caller.tenantId,
      query: str(body.query),
      limit,
      mode: str(body.mode),
      knowledgeBaseIds: kbs,
      accessLevel,
    });
    return jsonBody(Rpcs.retrievalSearch.response, await this.rpc.request(Rpcs.retrievalSearch, request, { timeoutMs: TIMEOUT_MS }));
  }

  private ensure(rules: FieldRules): void {
    if (rules.violations.length > 0) throw GatewayError.invalid(rules.violations);
  }
}
