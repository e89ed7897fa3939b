// Composes the reply to one question from retrieved passages: with the configured LLM when there is
// one, and otherwise — or when the LLM fails — with the extractive answerer, which quotes the
// passages and never invents anything.
import { Inject, Injectable } from '@nestjs/common';
import { AnswerResultSchema, create, type AnswerRequest, type AnswerResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { LlmClient } from '../llm/llm.client';
import { composeExtractiveAnswer } from './extractive-answerer';
import { groundedPrompt, NO_ANSWER_MARKER } from './grounded-prompt';

@Injectable()
export class AnswerService {
  constructor(private readonly llm: LlmClient, @Inject(LOGGER) private readonly log: Logger) {}

  async answer(request: AnswerRequest): Promise<AnswerResult> {
    const passages = request.passages.map((p) => ({ id: p.id, text: p.text, title: p.title, score: p.score, relevant: p.relevant }));
    if (this.llm.configured && passages.length > 0) {
      try {
        const text = await this.llm.complete(groundedPrompt(request.question, passages, request.locale));
        if (text !== NO_ANSWER_MARKER) {
          const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => passages[Number(m[1]) - 1]).filter((p) => p !== undefined);
          return create(AnswerResultSchema, {
            text,
            citations: [...new Map(cited.map((p) => [p.id, { passageId: p.id, title: p.title }])).values()],
            grounded: cited.length > 0,
            mode: 'llm',
          });
        }
      } catch (error) {
        this.log.warn({ err: error }, 'LLM call failed; answering extractively');
      }
    }
    const extractive = composeExtractiveAnswer(request.question, passages);
    return create(AnswerResultSchema, { text: extractive.text, citations: extractive.citations, grounded: extractive.grounded, mode: 'extractive' });
  }
}
