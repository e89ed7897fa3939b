// Turns a support lead's question into a KPI query with the LLM, when one is configured and
// healthy: the model may only call one tool, whose parameters are the query's JSON Schema (sent by
// analytics, which owns the metrics and validates the answer before running anything). The model
// never writes SQL and never sees a number; without an LLM the answer is mode "none" and analytics
// uses its deterministic parser.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, FillKpiQueryResultSchema, Rpcs, type FillKpiQueryRequest, type FillKpiQueryResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { describeLlmError, GuardedLlm } from '../llm/guarded-llm';

export const KPI_QUERY_TOOL = 'kpi_query';
const QUERY_TOKENS = 300;

export function kpiQueryPrompt(request: FillKpiQueryRequest): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    {
      role: 'system',
      content: [
        `You turn a customer-service lead's question about support KPIs into one call of the ${KPI_QUERY_TOOL} tool.`,
        `Today is ${request.today} in the time zone ${request.timeZone}. Periods are whole days: "from" is the first day, "to" the day after the last (exclusive). Weeks start on Monday. With no period in the question, use the last 30 days ending today.`,
        'Set "grain" only when the question asks for a trend over time (per day, weekly, trend); otherwise null.',
        `If the question is not about these KPIs, or asks for a metric, grouping or value the tool does not offer, do not call the tool: say in one sentence what you cannot map.`,
      ].join('\n'),
    },
    { role: 'user', content: request.question },
  ];
}

@Injectable()
export class KpiQueryFillerService implements OnApplicationBootstrap {
  constructor(
    private readonly llm: GuardedLlm,
    private readonly bus: KafkaBus,
    @Inject(CONFIG) private readonly config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.generationFillKpiQuery, (request) => this.fill(request), this.log, { concurrency: 3 });
  }

  async fill(request: FillKpiQueryRequest): Promise<FillKpiQueryResult> {
    if (!this.llm.configured || this.llm.state === 'open') return create(FillKpiQueryResultSchema, { mode: 'none' });
    let parameters: Record<string, unknown>;
    try {
      parameters = JSON.parse(request.querySchemaJson) as Record<string, unknown>;
    } catch {
      return create(FillKpiQueryResultSchema, { mode: 'none' });
    }
    try {
      const turn = await this.llm.complete(
        {
          messages: kpiQueryPrompt(request),
          tools: [
            {
              type: 'function',
              function: { name: KPI_QUERY_TOOL, description: 'The KPI query that answers the question.', parameters },
            },
          ],
          toolChoice: 'auto',
          maxTokens: QUERY_TOKENS,
        },
        {
          onAttempt: () => undefined,
          onText: () => undefined,
          deadline: Date.now() + this.config.LLM_ANSWER_BUDGET_MS,
          mayRetry: () => true,
        },
      );
      const call = turn.toolCalls.find((c) => c.name === KPI_QUERY_TOOL);
      return create(FillKpiQueryResultSchema, { mode: 'llm', queryJson: call?.arguments ?? '' });
    } catch (error) {
      this.log.warn({ reason: describeLlmError(error) }, 'KPI question: the LLM failed; analytics falls back to its parser');
      return create(FillKpiQueryResultSchema, { mode: 'none' });
    }
  }
}
