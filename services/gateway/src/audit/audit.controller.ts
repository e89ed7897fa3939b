// Admin REST API for the tenant's audit log (x-api-key with scope kb:admin): entries newest first,
// and a verification of the hash chain.
import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { ApiKeyService } from '../auth/api-key.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AuditQueryService } from './audit-query.service';

@Controller('v1/audit')
@UseFilters(HttpErrorsFilter)
export class AuditController {
  constructor(private readonly auth: ApiKeyService, private readonly audit: AuditQueryService) {}

  @Get()
  async list(@Headers('x-api-key') key: string | undefined, @Query() query: { action?: string; actor?: string; since?: string; limit?: string }) {
    return this.audit.list(await this.auth.authenticate(key, 'kb:admin'), query);
  }

  @Get('verify')
  async verify(@Headers('x-api-key') key: string | undefined) {
    return this.audit.verify(await this.auth.authenticate(key, 'kb:admin'));
  }
}
