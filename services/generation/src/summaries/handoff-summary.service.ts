// Writes the hand-off summary a person reads before taking over, with the LLM when one is
// configured and healthy. It sees only redacted lines and PII-free facts; when it cannot write one
// the result is empty and the conversation's own summary, assembled from the dialogue state, stands.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, Rpcs, SummarizeResultSchema, type SummarizeRequest, type SummarizeResult } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { describeLlmError, GuardedLlm } from '../llm/guarded-llm';

const SUMMARY_TOKENS = 220;

export function summaryPrompt(request: SummarizeRequest): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    {
      role: 'system',
      content: [
        'You write hand-off notes for customer-service agents taking over a conversation from a bot.',
        'In at most four short sentences say: what the customer wants, which orders are involved, what the bot already tried and with what result, how the customer feels, and what the agent should do next.',
        'Use only the facts and the conversation below. Never invent order numbers, amounts or promises. Placeholders like [EMAIL] stay as they are.',
        `Write in ${request.locale.toLowerCase().startsWith('zh') ? 'Chinese' : 'English'}.`,
      ].join('\n'),
    },
    {
      role: 'user',
      content: [
        `Facts:\n${request.facts.map((f) => `- ${f.name}: ${f.value}`).join('\n') || '- none'}`,
        `Conversation:\n${request.lines.join('\n') || '(empty)'}`,
      ].join('\n\n'),
    },
  ];
}

@Injectable()
export class HandoffSummaryService implements OnApplicationBootstrap {
  constructor(
    private readonly llm: GuardedLlm,
    private readonly bus: KafkaBus,
    @Inject(CONFIG) private readonly config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.generationSummarize, (request) => this.summarize(request), this.log, { concurrency: 3 });
  }

  async summarize(request: SummarizeRequest): Promise<SummarizeResult> {
    if (!this.llm.configured || this.llm.state === 'open') return create(SummarizeResultSchema, { mode: 'none' });
    try {
      const turn = await this.llm.complete(
        { messages: summaryPrompt(request), tools: [], toolChoice: 'auto', maxTokens: SUMMARY_TOKENS },
        {
          onAttempt: () => undefined,
          onText: () => undefined,
          deadline: Date.now() + this.config.LLM_ANSWER_BUDGET_MS,
          mayRetry: () => true,
        },
      );
      const summary = turn.content.trim();
      return create(SummarizeResultSchema, { summary, mode: summary ? 'llm' : 'none' });
    } catch (error) {
      this.log.warn({ reason: describeLlmError(error) }, 'hand-off summary: the LLM failed; the conversation keeps its own summary');
      return create(SummarizeResultSchema, { mode: 'none' });
    }
  }
}
