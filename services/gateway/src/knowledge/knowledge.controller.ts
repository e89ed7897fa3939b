// Admin REST API for a tenant's knowledge bases. The API key (header x-api-key, scope kb:admin)
// decides the tenant; retrieval does the work over Kafka request-reply.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MAX_DOCUMENT_BYTES } from '@switchboard/contracts';
import { ApiKeyService } from '../auth/api-key.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { KnowledgeAdminService, type UploadedDocument } from './knowledge-admin.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class KnowledgeController {
  constructor(private readonly auth: ApiKeyService, private readonly admin: KnowledgeAdminService) {}

  @Post('knowledge-bases')
  async create(@Headers('x-api-key') key: string | undefined, @Body() body: Record<string, unknown>) {
    return this.admin.create(await this.auth.authenticate(key, 'kb:admin'), body ?? {});
  }

  @Get('knowledge-bases')
  async list(@Headers('x-api-key') key: string | undefined) {
    return this.admin.list(await this.auth.authenticate(key, 'kb:admin'));
  }

  @Post('knowledge-bases/:kb/documents')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 } }))
  async ingest(@Headers('x-api-key') key: string | undefined, @Param('kb') kb: string, @UploadedFile() file: UploadedDocument | undefined, @Body() body: Record<string, unknown>) {
    return this.admin.ingest(await this.auth.authenticate(key, 'kb:admin'), kb, file, body ?? {});
  }

  @Get('knowledge-bases/:kb/documents')
  async documents(@Headers('x-api-key') key: string | undefined, @Param('kb') kb: string) {
    return this.admin.documents(await this.auth.authenticate(key, 'kb:admin'), kb);
  }

  @Get('knowledge-bases/:kb/documents/:doc')
  async document(@Headers('x-api-key') key: string | undefined, @Param('kb') kb: string, @Param('doc') doc: string) {
    return this.admin.documents(await this.auth.authenticate(key, 'kb:admin'), kb, doc);
  }

  @Delete('knowledge-bases/:kb/documents/:doc')
  @HttpCode(200)
  async remove(@Headers('x-api-key') key: string | undefined, @Param('kb') kb: string, @Param('doc') doc: string) {
    return this.admin.remove(await this.auth.authenticate(key, 'kb:admin'), kb, doc);
  }

  /** Searches as the bot does, for a support lead checking what customers will get. */
  @Post('search')
  @HttpCode(200)
  async search(@Headers('x-api-key') key: string | undefined, @Body() body: Record<string, unknown>) {
    return this.admin.search(await this.auth.authenticate(key, 'kb:admin'), body ?? {});
  }
}
