// Admin REST API for a tenant's outgoing webhooks: endpoints, and deliveries that failed every
// attempt. An admin's access token or an API key with scope kb:admin decides the tenant.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { WebhooksAdminService } from './webhooks-admin.service';

@Controller('v1/webhooks')
@UseFilters(HttpErrorsFilter)
export class WebhooksController {
  constructor(
    private readonly access: AccessService,
    private readonly webhooks: WebhooksAdminService,
  ) {}

  @Post()
  async create(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.webhooks.create(await this.access.admin(headers), body ?? {});
  }

  @Get()
  async list(@Headers() headers: RequestHeaders) {
    return this.webhooks.list(await this.access.admin(headers));
  }

  @Get('dead-letters')
  async deadLetters(@Headers() headers: RequestHeaders, @Query('limit') limit: string | undefined) {
    return this.webhooks.deadLetters(await this.access.admin(headers), limit);
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(202)
  async replay(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.webhooks.replay(await this.access.admin(headers), id);
  }

  @Delete(':id')
  async delete(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.webhooks.delete(await this.access.admin(headers), id);
  }
}
