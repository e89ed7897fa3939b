// POST /v1/analytics/ask {"question": "...", "now"?: RFC 3339}: a KPI question in English or
// Chinese; POST /v1/analytics/query {"query": {...}, "now"?, "language"?}: the same for a
// structured query (the console's overview). For supervisors and admins (signed in), or an admin
// API key (kb:admin). GET /v1/analytics/settings (the same callers) and PUT (admins only):
// {"timeZone": "Asia/Shanghai"}, the zone the tenant's days are counted in.
// GET /v1/analytics/bot-conversations (the same callers): {count, windowMinutes, scope: "tenant"},
// the tenant's conversations with the bot active in the last windowMinutes (the conversation
// service's count; bot conversations have no department, so it is never a department's).
import { Body, Controller, Get, Headers, HttpCode, Post, Put, UseFilters } from '@nestjs/common';
import { AccessService, type RequestHeaders } from '../auth/access.service';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AnalyticsAskService } from './analytics-ask.service';
import { BotConversationsService } from './bot-conversations.service';

@Controller('v1/analytics')
@UseFilters(HttpErrorsFilter)
export class AnalyticsController {
  constructor(
    private readonly access: AccessService,
    private readonly analytics: AnalyticsAskService,
    private readonly botConversations: BotConversationsService,
  ) {}

  @Post('ask')
  @HttpCode(200)
  async ask(@Headers() headers: RequestHeaders, @Body() body: unknown) {
    return this.analytics.ask(await this.access.reports(headers), body);
  }

  @Get('settings')
  async settings(@Headers() headers: RequestHeaders) {
    return this.analytics.settings(await this.access.reports(headers));
  }

  @Get('bot-conversations')
  async botConversationCount(@Headers() headers: RequestHeaders) {
    return this.botConversations.count(await this.access.reports(headers));
  }

  @Put('settings')
  async putSettings(@Headers() headers: RequestHeaders, @Body() body: unknown) {
    return this.analytics.putSettings(await this.access.admin(headers), body);
  }

  @Post('query')
  @HttpCode(200)
  async query(@Headers() headers: RequestHeaders, @Body() body: unknown) {
    return this.analytics.query(await this.access.reports(headers), body);
  }
}
