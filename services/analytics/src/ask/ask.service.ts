// Question → structured query → SQL over the facts (code) → answer. The query is the LLM's when the
// generation service has one configured (a tool call whose parameters are the query's JSON Schema,
// checked here before use), else the deterministic parser's; the model never writes SQL or sees a
// number. A structured query may come instead of the question (the console's overview): checked,
// then the same.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AskResultSchema, create, FillKpiQueryRequestSchema, Rpcs, type AskRequest, type AskResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, RpcClient, serveRpc } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { AnalyticsConfig } from '../config';
import { kpiQuerySchema, type KpiQuery } from '../kpi/kpi-definitions';
import { KpiRepository } from '../kpi/kpi.repository';
import { InvalidQueryError, queryFromJson, validateQuery } from '../kpi/kpi-sql';
import { localDate } from '../kpi/zoned-days';
import { AnalyticsSettingsService } from '../settings/analytics-settings.service';
import { composeAnswer, languageOf } from './answer';
import { parseQuestion } from './question-parser';

type Filled = { query: KpiQuery; by: 'llm' | 'parser' | 'query' } | { refusal: string };

@Injectable()
export class AskService implements OnApplicationBootstrap {
  private readonly querySchema = JSON.stringify(kpiQuerySchema());

  constructor(
    private readonly bus: KafkaBus,
    private readonly rpc: RpcClient,
    private readonly kpis: KpiRepository,
    private readonly settings: AnalyticsSettingsService,
    @Inject(CONFIG) private readonly config: AnalyticsConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.analyticsAsk, (request) => this.ask(request), this.log);
  }

  async ask(request: AskRequest): Promise<AskResult> {
    const now = request.now ? new Date(request.now) : new Date();
    const timeZone = await this.settings.timeZoneOf(request.tenantId);
    const language = request.queryJson ? (request.language === 'zh' ? 'zh' : 'en') : languageOf(request.question);
    const filled = request.queryJson ? this.fromQuery(request.queryJson) : await this.fromQuestion(request, now, timeZone);
    if ('refusal' in filled) return create(AskResultSchema, { answered: false, answer: filled.refusal });
    const rows = await this.kpis.run(request.tenantId, filled.query, now, timeZone);
    const answer = composeAnswer(language, filled.query, rows);
    return create(AskResultSchema, {
      answered: true,
      queryJson: JSON.stringify(filled.query),
      answer: answer.answer,
      rowsJson: JSON.stringify(answer.rows),
      chartJson: answer.chart ? JSON.stringify(answer.chart.option) : '',
      chartSvg: answer.chart?.svg ?? '',
      definition: answer.definition,
      filledBy: filled.by,
    });
  }

  private fromQuery(json: string): Filled {
    try {
      return { query: queryFromJson(json), by: 'query' };
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      return { refusal: `The query was refused: ${error.message}.` };
    }
  }

  private async fromQuestion(request: AskRequest, now: Date, timeZone: string): Promise<Filled> {
    const byModel = await this.askTheModel(request, now, timeZone);
    if (byModel) return { query: byModel, by: 'llm' };
    const parsed = parseQuestion(request.question, now, timeZone);
    if (!parsed.ok) {
      const understood = parsed.understood.length ? ` I understood: ${parsed.understood.join('; ')}.` : '';
      return { refusal: `${parsed.reason}.${understood}` };
    }
    // A question can parse into a query the rules refuse (e.g. a period over two years): say so.
    try {
      validateQuery(parsed.query);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      return { refusal: `I can't answer that yet: ${error.message}.` };
    }
    return { query: parsed.query, by: 'parser' };
  }

  /**
   * The LLM's query, checked, or undefined: no LLM configured, no answer in time, no tool call, or
   * a query the rules refuse — the parser then answers (and refuses honestly what it cannot map).
   */
  private async askTheModel(request: AskRequest, now: Date, timeZone: string): Promise<KpiQuery | undefined> {
    try {
      const result = await this.rpc.request(
        Rpcs.generationFillKpiQuery,
        create(FillKpiQueryRequestSchema, {
          tenantId: request.tenantId,
          question: request.question,
          today: localDate(now, timeZone),
          timeZone,
          querySchemaJson: this.querySchema,
        }),
        { timeoutMs: this.config.QUESTION_LLM_TIMEOUT_MS },
      );
      if (result.mode !== 'llm' || !result.queryJson) return undefined;
      return queryFromJson(result.queryJson);
    } catch (error) {
      this.log.warn({ reason: (error as Error).message }, 'KPI question: no usable query from the LLM; the parser answers');
      return undefined;
    }
  }
}
