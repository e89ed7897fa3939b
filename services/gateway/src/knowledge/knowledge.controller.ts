// Admin REST API for a tenant's knowledge bases. An admin's access token or an API key with scope kb:admin
// decides the tenant; retrieval does the work over Kafka request-reply.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, UploadedFile, UseFilters } from '@nestjs/common';
import { MAX_DOCUMENT_BYTES } from '@switchboard/contracts';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { AdminCaller } from '../auth/admin.guard';
import type { Principal } from '../auth/roles';
import { AdminUpload } from '../http/admin-upload';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { KnowledgeAdminService, type UploadedDocument } from './knowledge-admin.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class KnowledgeController {
  constructor(
    private readonly access: AccessService,
    private readonly admin: KnowledgeAdminService,
  ) {}

  @Post('knowledge-bases')
  async create(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.admin.create(await this.access.admin(headers), body ?? {});
  }

  @Get('knowledge-bases')
  async list(@Headers() headers: RequestHeaders) {
    return this.admin.list(await this.access.admin(headers));
  }

  // Fields: documentId, title, tags, product, accessLevel, validFrom, validTo (title ≤ 500 characters).
  @Post('knowledge-bases/:kb/documents')
  @AdminUpload('file', { fileBytes: MAX_DOCUMENT_BYTES, fields: 10, fieldBytes: 4 * 1024 })
  async ingest(
    @AdminCaller() caller: Principal,
    @Param('kb') kb: string,
    @UploadedFile() file: UploadedDocument | undefined,
    @Body() body: Record<string, unknown>,
  ) {
    return this.admin.ingest(caller, kb, file, body ?? {});
  }

  @Get('knowledge-bases/:kb/documents')
  async documents(@Headers() headers: RequestHeaders, @Param('kb') kb: string) {
    return this.admin.documents(await this.access.admin(headers), kb);
  }

  @Get('knowledge-bases/:kb/documents/:doc')
  async document(@Headers() headers: RequestHeaders, @Param('kb') kb: string, @Param('doc') doc: string) {
    return this.admin.documents(await this.access.admin(headers), kb, doc);
  }

  /** The live version's chunks as they were indexed, a page at a time (?offset=0&limit=50, limit ≤ 200). */
  @Get('knowledge-bases/:kb/documents/:doc/chunks')
  async chunks(
    @Headers() headers: RequestHeaders,
    @Param('kb') kb: string,
    @Param('doc') doc: string,
    @Query() query: { offset?: string; limit?: string },
  ) {
    return this.admin.chunks(await this.access.admin(headers), kb, doc, query);
  }

  /** `{approved: true|false}`: whether the FAQ entry's answer may be given word for word (a standard answer). */
  @Put('knowledge-bases/:kb/documents/:doc/faqs/:faq/approval')
  async approveAnswer(
    @Headers() headers: RequestHeaders,
    @Param('kb') kb: string,
    @Param('doc') doc: string,
    @Param('faq') faq: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.admin.approveAnswer(await this.access.admin(headers), kb, doc, faq, body ?? {});
  }

  @Delete('knowledge-bases/:kb/documents/:doc')
  @HttpCode(200)
  async remove(@Headers() headers: RequestHeaders, @Param('kb') kb: string, @Param('doc') doc: string) {
    return this.admin.remove(await this.access.admin(headers), kb, doc);
  }

  /** Searches as the bot does, for a support lead checking what customers will get. */
  @Post('search')
  @HttpCode(200)
  async search(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.admin.search(await this.access.admin(headers), body ?? {});
  }
}
