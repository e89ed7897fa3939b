// REST API for support agents: their tenant's tickets and live take-over of conversations. The API
// key (header x-api-key, scope "agent") decides the tenant; x-agent-id says which agent acts.
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiKeyService } from '../auth/api-key.service';
import { agentIdFrom } from './agent-id';
import { AgentsErrorsFilter } from './agents-errors.filter';
import { AgentsService, type Agent } from './agents.service';

@Controller('v1/agent')
@UseFilters(AgentsErrorsFilter)
export class AgentsController {
  constructor(private readonly auth: ApiKeyService, private readonly agents: AgentsService) {}

  private async agent(key: string | undefined, agentId: string | undefined): Promise<Agent> {
    const caller = await this.auth.authenticate(key, 'agent');
    return { caller, agentId: agentIdFrom(agentId) };
  }

  @Get('tickets')
  async listTickets(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Query() query: { status?: string; department?: string; limit?: string }) {
    return this.agents.listTickets(await this.agent(key, agentId), query);
  }

  @Get('tickets/:id')
  async getTicket(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string) {
    return this.agents.getTicket(await this.agent(key, agentId), id);
  }

  @Post('tickets/:id/claim')
  @HttpCode(200)
  async claim(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string) {
    return this.agents.claim(await this.agent(key, agentId), id);
  }

  @Post('tickets/:id/notes')
  async addNote(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.addNote(await this.agent(key, agentId), id, body ?? {});
  }

  @Post('tickets/:id/status')
  @HttpCode(200)
  async changeStatus(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.changeStatus(await this.agent(key, agentId), id, body ?? {});
  }

  @Post('tickets/:id/resolve')
  @HttpCode(200)
  async resolve(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.resolve(await this.agent(key, agentId), id, body ?? {});
  }

  @Get('conversations/:id/transcript')
  async transcript(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string) {
    return this.agents.transcript(await this.agent(key, agentId), id);
  }

  @Post('conversations/:id/takeover')
  @HttpCode(200)
  async takeOver(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string) {
    return this.agents.takeOver(await this.agent(key, agentId), id);
  }

  @Post('conversations/:id/messages')
  async sendMessage(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.agents.sendMessage(await this.agent(key, agentId), id, body ?? {});
  }

  @Post('conversations/:id/handback')
  @HttpCode(200)
  async handBack(@Headers('x-api-key') key: string | undefined, @Headers('x-agent-id') agentId: string | undefined, @Param('id') id: string) {
    return this.agents.handBack(await this.agent(key, agentId), id);
  }
}
