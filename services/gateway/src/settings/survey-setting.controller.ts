// Admin REST API for the tenant's survey setting (settings/survey-setting.service.ts). An admin's
// access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Get, Headers, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { SurveySettingService } from './survey-setting.service';

@Controller('v1/settings')
@UseFilters(HttpErrorsFilter)
export class SurveySettingController {
  constructor(
    private readonly access: AccessService,
    private readonly settings: SurveySettingService,
  ) {}

  @Put('survey')
  async put(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.settings.put(await this.access.admin(headers), body ?? {});
  }

  @Get('survey')
  async get(@Headers() headers: RequestHeaders) {
    return this.settings.get(await this.access.admin(headers));
  }
}
