// REST API for support agents: their departments' tickets, live take-over of conversations and
// the approval queue of actions the bot may not carry out alone.
// Every call needs a signed-in agent, senior agent or supervisor (Authorization: Bearer <token>).
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AgentsService } from './agents.service';

@Controller('v1/agent')
@UseFilters(HttpErrorsFilter)
export class AgentsController {
  constructor(
    private readonly access: AccessService,
    private readonly agents: AgentsService,
  ) {}

  @Get('tickets')
  async listTickets(@Headers() headers: RequestHeaders, @Query() query: { status?: string; department?: string; limit?: string }) {
    return this.agents.listTickets(await this.access.desk(headers), query);
  }

  @Get('tickets/:id')
  async getTicket(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.getTicket(await this.access.desk(headers), id);
  }

  @Post('tickets/:id/claim')
  @HttpCode(200)
  async claim(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.claim(await this.access.desk(headers), id);
  }

  @Post('tickets/:id/notes')
  async addNote(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.addNote(await this.access.desk(headers), id, body ?? {});
  }

  @Post('tickets/:id/status')
  @HttpCode(200)
  async changeStatus(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.changeStatus(await this.access.desk(headers), id, body ?? {});
  }

  @Post('tickets/:id/resolve')
  @HttpCode(200)
  async resolve(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.resolve(await this.access.desk(headers), id, body ?? {});
  }

  @Get('approvals')
  async listApprovals(@Headers() headers: RequestHeaders) {
    return this.agents.listApprovals(await this.access.desk(headers));
  }

  @Post('approvals/:id/approve')
  @HttpCode(200)
  async approve(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.approve(await this.access.desk(headers), id);
  }

  @Post('approvals/:id/reject')
  @HttpCode(200)
  async reject(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.reject(await this.access.desk(headers), id, body ?? {});
  }

  @Get('conversations/:id/transcript')
  async transcript(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.transcript(await this.access.desk(headers), id);
  }

  @Get('conversations/:id/customer')
  async customerAccount(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.customerAccount(await this.access.desk(headers), id);
  }

  @Get('conversations/:id/suggestions')
  async suggestions(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.suggestions(await this.access.desk(headers), id);
  }

  @Post('conversations/:id/takeover')
  @HttpCode(200)
  async takeOver(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.takeOver(await this.access.desk(headers), id);
  }

  @Post('conversations/:id/messages')
  async sendMessage(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.sendMessage(await this.access.desk(headers), id, body ?? {});
  }

  @Post('conversations/:id/handback')
  @HttpCode(200)
  async handBack(@Headers() headers: RequestHeaders, @Param('id') id: string) {
    return this.agents.handBack(await this.access.desk(headers), id);
  }
}
