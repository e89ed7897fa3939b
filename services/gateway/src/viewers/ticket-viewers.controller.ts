// PUT /v1/agent/tickets/:id/viewers/me: "I have this ticket open" (every 10 s while it is), answered
// with who else has; DELETE: "I closed it" (ticket-viewers.service.ts).
import { Controller, Delete, Headers, HttpCode, Param, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { TicketViewersService } from './ticket-viewers.service';

@Controller('v1/agent/tickets/:id/viewers/me')
@UseFilters(HttpErrorsFilter)
export class TicketViewersController {
  constructor(
    private readonly access: AccessService,
    private readonly viewers: TicketViewersService,
  ) {}

  @Put()
  async viewing(@Headers() headers: RequestHeaders, @Param('id') ticketId: string) {
    return this.viewers.viewing(await this.access.desk(headers), ticketId);
  }

  @Delete()
  @HttpCode(204)
  async left(@Headers() headers: RequestHeaders, @Param('id') ticketId: string) {
    await this.viewers.left(await this.access.desk(headers), ticketId);
  }
}
