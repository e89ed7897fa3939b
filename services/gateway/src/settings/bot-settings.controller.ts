// Admin REST API for how a tenant's bot understands, screens and words messages: its intent
// examples, its moderation policy and its style guide. The API key (header x-api-key, scope kb:admin) decides the tenant.
import { Body, Controller, Get, Headers, Put, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiKeyService } from '../auth/api-key.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import type { UploadedDocument } from '../knowledge/knowledge-admin.service';
import { BotSettingsService } from './bot-settings.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class BotSettingsController {
  constructor(private readonly auth: ApiKeyService, private readonly settings: BotSettingsService) {}

  @Put('intents')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 4 * 1024 * 1024, files: 1 } }))
  async putIntents(@Headers('x-api-key') key: string | undefined, @UploadedFile() file: UploadedDocument | undefined, @Body() body: Record<string, unknown>) {
    return this.settings.putIntents(await this.auth.authenticate(key, 'kb:admin'), file, body ?? {});
  }

  @Get('intents')
  async getIntents(@Headers('x-api-key') key: string | undefined) {
    return this.settings.getIntents(await this.auth.authenticate(key, 'kb:admin'));
  }

  @Put('moderation/policy')
  async putModerationPolicy(@Headers('x-api-key') key: string | undefined, @Body() body: Record<string, unknown>) {
    return this.settings.putModerationPolicy(await this.auth.authenticate(key, 'kb:admin'), body ?? {});
  }

  @Get('moderation/policy')
  async getModerationPolicy(@Headers('x-api-key') key: string | undefined) {
    return this.settings.getModerationPolicy(await this.auth.authenticate(key, 'kb:admin'));
  }

  @Put('style-guide')
  async putStyleGuide(@Headers('x-api-key') key: string | undefined, @Body() body: Record<string, unknown>) {
    return this.settings.putStyleGuide(await this.auth.authenticate(key, 'kb:admin'), body ?? {});
  }

  @Get('style-guide')
  async getStyleGuide(@Headers('x-api-key') key: string | undefined) {
    return this.settings.getStyleGuide(await this.auth.authenticate(key, 'kb:admin'));
  }
}
