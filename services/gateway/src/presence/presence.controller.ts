// PUT /v1/agent/presence: the signed-in desk user sets their status (online, busy, away); POST
// …/heartbeat: the console's "still here" every 30 s; GET: a supervisor's team or, for an admin, the
// tenant's (presence.service.ts).
import { Body, Controller, Get, Headers, HttpCode, Post, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { PresenceService } from './presence.service';

@Controller('v1/agent/presence')
@UseFilters(HttpErrorsFilter)
export class PresenceController {
  constructor(
    private readonly access: AccessService,
    private readonly presence: PresenceService,
  ) {}

  @Put()
  async set(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    return this.presence.set(await this.access.desk(headers), body ?? {});
  }

  @Post('heartbeat')
  @HttpCode(200)
  async heartbeat(@Headers() headers: RequestHeaders) {
    return this.presence.heartbeat(await this.access.desk(headers));
  }

  @Get()
  async team(@Headers() headers: RequestHeaders) {
    return this.presence.team(await this.access.team(headers));
  }
}
