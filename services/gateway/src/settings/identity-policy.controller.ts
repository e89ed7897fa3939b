// Admin REST API for the tenant's identity policy (settings/identity-policy.service.ts). An
// admin's access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Get, Headers, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { IdentityPolicyService } from './identity-policy.service';

@Controller('v1/settings')
@UseFilters(HttpErrorsFilter)
export class IdentityPolicyController {
  constructor(
    private readonly access: AccessService,
    private readonly policies: IdentityPolicyService,
  ) {}

  @Put('identity')
  async put(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.policies.put(await this.access.admin(headers), body ?? {});
  }

  @Get('identity')
  async get(@Headers() headers: RequestHeaders) {
    return this.policies.get(await this.access.admin(headers));
  }
}
