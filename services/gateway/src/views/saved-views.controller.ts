// The signed-in agent's saved inbox views (saved-views.service.ts).
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { SavedViewsService } from './saved-views.service';

@Controller('v1/agent/saved-views')
@UseFilters(HttpErrorsFilter)
export class SavedViewsController {
  constructor(
    private readonly access: AccessService,
    private readonly views: SavedViewsService,
  ) {}

  @Get()
  async list(@Headers() headers: RequestHeaders) {
    return this.views.list(await this.access.desk(headers));
  }

  @Post()
  async save(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.views.save(await this.access.desk(headers), body ?? {});
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    await this.views.remove(await this.access.desk(headers), id);
  }
}
