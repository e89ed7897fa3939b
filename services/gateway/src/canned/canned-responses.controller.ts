// REST API for canned responses (canned-responses.service.ts). Any signed-in user of the tenant
// reads them and keeps their own; an admin API key (scope kb:admin) keeps the tenant's set.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, UseFilters } from '@nestjs/common';
import { principalOf } from '../auth/access-tokens';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import type { Principal } from '../auth/roles';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { CannedResponsesService } from './canned-responses.service';

@Controller('v1/canned-responses')
@UseFilters(HttpErrorsFilter)
export class CannedResponsesController {
  constructor(
    private readonly access: AccessService,
    private readonly canned: CannedResponsesService,
  ) {}

  /** A signed-in user of any role, or else an admin API key. */
  private async caller(headers: RequestHeaders): Promise<Principal> {
    return headers.authorization !== undefined ? principalOf(await this.access.session(headers)) : this.access.admin(headers);
  }

  @Get()
  async list(@Headers() headers: RequestHeaders) {
    return this.canned.list(await this.caller(headers));
  }

  @Post()
  async create(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.canned.create(await this.caller(headers), body ?? {});
  }

  @Patch(':id')
  async update(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.canned.update(await this.caller(headers), id, body ?? {});
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    await this.canned.remove(await this.caller(headers), id);
  }
}
