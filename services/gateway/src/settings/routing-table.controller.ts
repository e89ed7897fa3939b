// Admin REST API for the tenant's departments and routing rules (settings/routing-table.service.ts).
// An admin's access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Get, Headers, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { RoutingTableService } from './routing-table.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class RoutingTableController {
  constructor(
    private readonly access: AccessService,
    private readonly table: RoutingTableService,
  ) {}

  @Get('departments')
  async departments(@Headers() headers: RequestHeaders) {
    return this.table.departments(await this.access.admin(headers));
  }

  @Put('departments')
  async putDepartments(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.table.putDepartments(await this.access.admin(headers), body ?? {});
  }

  @Get('routing-rules')
  async rules(@Headers() headers: RequestHeaders) {
    return this.table.rules(await this.access.admin(headers));
  }

  @Put('routing-rules')
  async putRules(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.table.putRules(await this.access.admin(headers), body ?? {});
  }
}
