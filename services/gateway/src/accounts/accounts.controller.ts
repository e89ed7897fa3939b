// Admin REST API for the tenant's users and API keys (an admin's access token, or an API key with
// scope kb:admin).
import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AccountsService } from './accounts.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class AccountsController {
  constructor(
    private readonly access: AccessService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('users')
  async createUser(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.accounts.createUser(await this.access.admin(headers), body ?? {});
  }

  @Get('users')
  async listUsers(@Headers() headers: RequestHeaders) {
    return this.accounts.listUsers(await this.access.admin(headers));
  }

  @Patch('users/:id')
  async updateUser(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.accounts.updateUser(await this.access.admin(headers), id, body ?? {});
  }

  @Post('api-keys')
  async createKey(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.accounts.createKey(await this.access.admin(headers), body ?? {});
  }

  @Get('api-keys')
  async listKeys(@Headers() headers: RequestHeaders) {
    return this.accounts.listKeys(await this.access.admin(headers));
  }

  @Patch('api-keys/:id')
  async updateKey(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.accounts.updateKey(await this.access.admin(headers), id, body ?? {});
  }

  @Delete('api-keys/:id')
  async revokeKey(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.accounts.revokeKey(await this.access.admin(headers), id);
  }
}
