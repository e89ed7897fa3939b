// Composes the reply to one question: with the configured LLM when there is one and it is
// healthy, and otherwise — no LLM, the breaker open, the call failed — with the extractive
// answerer, which quotes the passages and never invents anything. The result says which, and why.
import { Inject, Injectable } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { AnswerResultSchema, create, type AnswerRequest, type AnswerResult, type StyleGuide } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { describeLlmError, GuardedLlm } from '../llm/guarded-llm';
import { StyleGuideService } from '../style-guides/style-guide.service';
import { composeExtractiveAnswer, type Passage } from './extractive-answerer';
import { citedPassages } from './grounded-prompt';
import { LlmAnswerer, type ToolCallRecord } from './llm-answerer';

export type FallbackReason = 'no_llm' | 'breaker_open' | 'llm_error' | 'no_passages' | 'no_answer';

const answersTotal =
  (register.getSingleMetric('switchboard_generation_answers_total') as Counter | undefined) ??
  new Counter({
    name: 'switchboard_generation_answers_total',
    help: 'Answers by mode (llm, extractive) and why the LLM was not used',
    labelNames: ['mode', 'fallback_reason'],
  });

@Injectable()
export class AnswerService {
  constructor(
    private readonly llm: GuardedLlm,
    private readonly llmAnswerer: LlmAnswerer,
    private readonly styleGuides: StyleGuideService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async answer(request: AnswerRequest): Promise<AnswerResult> {
    // Best first: the prompt drops from the end when it runs out of room.
    const passages: Passage[] = request.passages
      .map((p) => ({ id: p.id, text: p.text, title: p.title, score: p.score, relevant: p.relevant }))
      .sort((a, b) => b.score - a.score);
    if (!this.llm.configured) return this.extractive(request, passages, 'no_llm');
    if (passages.length === 0 && request.facts.length === 0 && request.tools.length === 0)
      return this.extractive(request, passages, 'no_passages');

    const outcome = await this.llmAnswerer.answer(request, passages, await this.styleGuideOf(request.tenantId));
    if (outcome.kind === 'no_answer') return this.extractive(request, passages, 'no_answer', outcome.toolCalls);
    if (outcome.kind === 'failed') {
      this.log.warn(
        { fallbackReason: outcome.reason, reason: describeLlmError(outcome.error) },
        'LLM could not answer; answering extractively',
      );
      return this.extractive(request, passages, outcome.reason, outcome.toolCalls);
    }
    const cited = citedPassages(outcome.text, outcome.passages);
    answersTotal.inc({ mode: 'llm', fallback_reason: '' });
    return create(AnswerResultSchema, {
      text: outcome.text,
      citations: cited.map((p) => ({ passageId: p.id, title: p.title })),
      // Backed by the knowledge base, or by the system of record the tools read.
      grounded: cited.length > 0 || outcome.toolCalls.some((call) => call.ok),
      mode: 'llm',
      toolCalls: outcome.toolCalls,
    });
  }

  private extractive(
    request: AnswerRequest,
    passages: Passage[],
    fallbackReason: FallbackReason,
    toolCalls: ToolCallRecord[] = [],
  ): AnswerResult {
    answersTotal.inc({ mode: 'extractive', fallback_reason: fallbackReason });
    const answer = composeExtractiveAnswer(request.question, passages);
    return create(AnswerResultSchema, {
      text: answer.text,
      citations: answer.citations,
      grounded: answer.grounded,
      mode: 'extractive',
      fallbackReason,
      toolCalls,
    });
  }

  /** Without its style guide (database trouble) an answer is still better than none; output moderation still applies. */
  private async styleGuideOf(tenantId: string): Promise<StyleGuide | undefined> {
    try {
      return await this.styleGuides.get(tenantId);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read the style guide; answering without it');
      return undefined;
    }
  }
}
