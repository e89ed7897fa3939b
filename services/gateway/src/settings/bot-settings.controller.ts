// Admin REST API for how a tenant's bot understands, screens, words messages and acts: its intent
// examples, its moderation policy, its style guide and its autonomy bars. An admin's access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Get, Headers, Put, UploadedFile, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { AdminCaller } from '../auth/admin.guard';
import type { Principal } from '../auth/roles';
import { AdminUpload } from '../http/admin-upload';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import type { UploadedDocument } from '../knowledge/knowledge-admin.service';
import { BotSettingsService } from './bot-settings.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class BotSettingsController {
  constructor(
    private readonly access: AccessService,
    private readonly settings: BotSettingsService,
  ) {}

  // The examples come as the file, or as the one text field "csv" (both up to the topic's 4 MiB).
  @Put('intents')
  @AdminUpload('file', { fileBytes: 4 * 1024 * 1024, fields: 1, fieldBytes: 4 * 1024 * 1024 })
  async putIntents(
    @AdminCaller() caller: Principal,
    @UploadedFile() file: UploadedDocument | undefined,
    @Body() body: Record<string, unknown>,
  ) {
    return this.settings.putIntents(caller, file, body ?? {});
  }

  @Get('intents')
  async getIntents(@Headers() headers: RequestHeaders) {
    return this.settings.getIntents(await this.access.admin(headers));
  }

  @Put('moderation/policy')
  async putModerationPolicy(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.settings.putModerationPolicy(await this.access.admin(headers), body ?? {});
  }

  @Get('moderation/policy')
  async getModerationPolicy(@Headers() headers: RequestHeaders) {
    return this.settings.getModerationPolicy(await this.access.admin(headers));
  }

  @Put('style-guide')
  async putStyleGuide(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.settings.putStyleGuide(await this.access.admin(headers), body ?? {});
  }

  @Put('autonomy')
  async putAutonomy(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.settings.putAutonomy(await this.access.admin(headers), body ?? {});
  }

  @Get('autonomy')
  async getAutonomy(@Headers() headers: RequestHeaders) {
    return this.settings.getAutonomy(await this.access.admin(headers));
  }

  @Get('style-guide')
  async getStyleGuide(@Headers() headers: RequestHeaders) {
    return this.settings.getStyleGuide(await this.access.admin(headers));
  }
}
