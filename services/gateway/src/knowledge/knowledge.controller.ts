// Admin REST API for a tenant's knowledge bases. An admin's access token or an API key with scope kb:admin
// decides the tenant; retrieval does the work over Kafka request-reply.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MAX_DOCUMENT_BYTES } from '@switchboard/contracts';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { KnowledgeAdminService, type UploadedDocument } from './knowledge-admin.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class KnowledgeController {
  constructor(private readonly access: AccessService, private readonly admin: KnowledgeAdminService) {}

  @Post('knowledge-bases')
  async create(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.admin.create(await this.access.admin(headers), body ?? {});
  }

  @Get('knowledge-bases')
  async list(@Headers() headers: RequestHeaders) {
    return this.admin.list(await this.access.admin(headers));
  }

  @Post('knowledge-bases/:kb/documents')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 } }))
  async ingest(@Headers() headers: RequestHeaders, @Param('kb') kb: string, @UploadedFile() file: UploadedDocument | undefined, @Body() body: Record<string, unknown>) {
    return this.admin.ingest(await this.access.admin(headers), kb, file, body ?? {});
  }

  @Get('knowledge-bases/:kb/documents')
  async documents(@Headers() headers: RequestHeaders, @Param('kb') kb: string) {
    return this.admin.documents(await this.access.admin(headers), kb);
  }

  @Get('knowledge-bases/:kb/documents/:doc')
  async document(@Headers() headers: RequestHeaders, @Param('kb') kb: string, @Param('doc') doc: string) {
    return this.admin.documents(await this.access.admin(headers), kb, doc);
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
