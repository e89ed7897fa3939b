// Recording what agents did with suggested replies (suggestion-uses.service.ts): the agent who
// answered writes it; supervisors and admins (or an admin API key) read the tenant's records.
import { Body, Controller, Get, Headers, Param, Post, Query, UseFilters } from '@nestjs/common';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AgentsService } from '../agents/agents.service';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { SuggestionUsesService } from './suggestion-uses.service';

@Controller('v1')
@UseFilters(HttpErrorsFilter)
export class SuggestionUsesController {
  constructor(
    private readonly access: AccessService,
    private readonly agents: AgentsService,
    private readonly uses: SuggestionUsesService,
  ) {}

  @Post('agent/conversations/:id/suggestion-use')
  async record(@Headers() headers: RequestHeaders, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const agent = await this.access.desk(headers);
    await this.agents.conversationInScope(agent, id);
    return this.uses.record(agent, id, body ?? {});
  }

  @Get('suggestion-uses')
  async list(@Headers() headers: RequestHeaders, @Query() query: { limit?: string }) {
    return this.uses.list(await this.access.reports(headers), query);
  }
}
