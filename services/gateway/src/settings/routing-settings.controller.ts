// Admin REST API for the tenant's automatic ticket assignment (settings/routing-settings.service.ts).
// An admin's access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Get, Headers, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { RoutingSettingsService } from './routing-settings.service';

@Controller('v1/settings')
@UseFilters(HttpErrorsFilter)
export class RoutingSettingsController {
  constructor(
    private readonly access: AccessService,
    private readonly settings: RoutingSettingsService,
  ) {}

  @Put('routing')
  async put(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.settings.put(await this.access.admin(headers), body ?? {});
  }

  @Get('routing')
  async get(@Headers() headers: RequestHeaders) {
    return this.settings.get(await this.access.admin(headers));
  }
}
