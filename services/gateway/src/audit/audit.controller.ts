// Admin REST API for the tenant's audit log (an admin's access token, or x-api-key with scope kb:admin): entries newest first,
// and a verification of the hash chain.
import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AuditQueryService } from './audit-query.service';

@Controller('v1/audit')
@UseFilters(HttpErrorsFilter)
export class AuditController {
  constructor(
    private readonly access: AccessService,
    private readonly audit: AuditQueryService,
  ) {}

  @Get()
  async list(@Headers() headers: RequestHeaders, @Query() query: { action?: string; actor?: string; since?: string; limit?: string }) {
    return this.audit.list(await this.access.admin(headers), query);
  }

  @Get('verify')
  async verify(@Headers() headers: RequestHeaders) {
    return this.audit.verify(await this.access.admin(headers));
  }
}
