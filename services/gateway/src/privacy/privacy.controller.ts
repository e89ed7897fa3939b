// Admin REST API for privacy: erase a customer everywhere, and the tenant's retention periods.
// An admin's access token or an API key with scope kb:admin decides the tenant.
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Post, Put, Res, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { PrivacyAdminService } from './privacy-admin.service';

interface StatusSetter {
  status(code: number): unknown;
}

@Controller('v1/privacy')
@UseFilters(HttpErrorsFilter)
export class PrivacyController {
  constructor(
    private readonly access: AccessService,
    private readonly privacy: PrivacyAdminService,
  ) {}

  /** 200 when every service reported within the wait; 202 with `missing` otherwise. */
  @Post('erasures')
  async erase(@Headers() headers: RequestHeaders, @Body() body: unknown, @Res({ passthrough: true }) res: StatusSetter) {
    const answer = await this.privacy.erase(await this.access.admin(headers), objectBody(body), randomUUID());
    res.status(answer.complete ? 200 : 202);
    return answer;
  }

  @Get('retention')
  async getRetention(@Headers() headers: RequestHeaders) {
    return this.privacy.getRetention(await this.access.admin(headers));
  }

  @Put('retention')
  async putRetention(@Headers() headers: RequestHeaders, @Body() body: unknown) {
    return this.privacy.putRetention(await this.access.admin(headers), objectBody(body));
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
