// The signed-in agent's unseen @mentions in ticket notes (mentions.service.ts).
import { Body, Controller, Get, Headers, HttpCode, Post, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { GatewayError } from '../gateway.errors';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { MentionsService } from './mentions.service';

@Controller('v1/agent/mentions')
@UseFilters(HttpErrorsFilter)
export class MentionsController {
  constructor(
    private readonly access: AccessService,
    private readonly mentions: MentionsService,
  ) {}

  @Get()
  async unseen(@Headers() headers: RequestHeaders) {
    return this.mentions.unseen(await this.access.desk(headers));
  }

  @Post('seen')
  @HttpCode(204)
  async seen(@Headers() headers: RequestHeaders, @Body() body: Record<string, unknown>) {
    const agent = await this.access.desk(headers);
    const ticketId = body?.ticketId;
    if (typeof ticketId !== 'string' || !ticketId)
      throw GatewayError.invalid([{ field: 'ticketId', problem: 'is required: the ticket whose mentions you have read' }]);
    await this.mentions.seen(agent, ticketId);
  }
}
