// Question → structured query (deterministic parser) → SQL over the facts (code) → answer. A
// structured query may come instead of the question (the console's overview): checked, then the same.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AskResultSchema, create, Rpcs, type AskRequest, type AskResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { KpiRepository } from '../kpi/kpi.repository';
import type { KpiQuery } from '../kpi/kpi-definitions';
import { composeAnswer, languageOf } from './answer';
import { parseQuestion } from './question-parser';
import { InvalidQueryError, queryFromJson, validateQuery } from '../kpi/kpi-sql';

@Injectable()
export class AskService implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly kpis: KpiRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.analyticsAsk, (request) => this.ask(request), this.log);
  }

  async ask(request: AskRequest): Promise<AskResult> {
    const now = request.now ? new Date(request.now) : new Date();
    const language = request.queryJson ? (request.language === 'zh' ? 'zh' : 'en') : languageOf(request.question);
    let query: KpiQuery;
    if (request.queryJson) {
      try {
        query = queryFromJson(request.queryJson);
      } catch (error) {
        if (!(error instanceof InvalidQueryError)) throw error;
        return create(AskResultSchema, { answered: false, answer: `The query was refused: ${error.message}.` });
      }
    } else {
      const parsed = parseQuestion(request.question, now);
      if (!parsed.ok) {
        const understood = parsed.understood.length ? ` I understood: ${parsed.understood.join('; ')}.` : '';
        return create(AskResultSchema, { answered: false, answer: `${parsed.reason}.${understood}` });
      }
      // A question can parse into a query the rules refuse (e.g. a period over two years): say so.
      try {
        validateQuery(parsed.query);
      } catch (error) {
        if (!(error instanceof InvalidQueryError)) throw error;
        return create(AskResultSchema, { answered: false, answer: `I can't answer that yet: ${error.message}.` });
      }
      query = parsed.query;
    }
    const rows = await this.kpis.run(request.tenantId, query, now);
    const answer = composeAnswer(language, query, rows);
    return create(AskResultSchema, {
      answered: true,
      queryJson: JSON.stringify(query),
      answer: answer.answer,
      rowsJson: JSON.stringify(answer.rows),
      chartJson: answer.chart ? JSON.stringify(answer.chart.option) : '',
      chartSvg: answer.chart?.svg ?? '',
      definition: answer.definition,
    });
  }
}
