// Admin REST API for a tenant's outgoing webhooks: endpoints, and deliveries that failed every
// attempt. The API key (header x-api-key, scope kb:admin) decides the tenant.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiKeyService } from '../auth/api-key.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { WebhooksAdminService } from './webhooks-admin.service';

@Controller('v1/webhooks')
@UseFilters(HttpErrorsFilter)
export class WebhooksController {
  constructor(private readonly auth: ApiKeyService, private readonly webhooks: WebhooksAdminService) {}

  @Post()
  async create(@Headers('x-api-key') key: string | undefined, @Body() body: Record<string, unknown>) {
    return this.webhooks.create(await this.auth.authenticate(key, 'kb:admin'), body ?? {});
  }

  @Get()
  async list(@Headers('x-api-key') key: string | undefined) {
    return this.webhooks.list(await this.auth.authenticate(key, 'kb:admin'));
  }

  @Get('dead-letters')
  async deadLetters(@Headers('x-api-key') key: string | undefined, @Query('limit') limit: string | undefined) {
    return this.webhooks.deadLetters(await this.auth.authenticate(key, 'kb:admin'), limit);
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(202)
  async replay(@Headers('x-api-key') key: string | undefined, @Param('id') id: string) {
    return this.webhooks.replay(await this.auth.authenticate(key, 'kb:admin'), id);
  }

  @Delete(':id')
  async delete(@Headers('x-api-key') key: string | undefined, @Param('id') id: string) {
    return this.webhooks.delete(await this.auth.authenticate(key, 'kb:admin'), id);
  }
}
