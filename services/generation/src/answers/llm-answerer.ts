// One answer from the LLM: the grounded prompt, then rounds in which the model may call the
// offered tools (each result fed back) until it answers in text, streaming that text to the
// customer when asked. It reports how it ended instead of throwing, so the caller can fall back.
import { Inject, Injectable } from '@nestjs/common';
import type { ChatCompletionToolMessageParam } from 'openai/resources/chat/completions';
import type { AnswerRequest, StyleGuide } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { describeLlmError, GuardedLlm } from '../llm/guarded-llm';
import type { ChatMessage, ModelToolCall, ModelTurn, ToolSpec } from '../llm/llm.client';
import { LlmEmptyAnswerError } from '../llm/llm.errors';
import { isBreakerOpen } from '../llm/retry-policy';
import { ToolsClient } from '../tools/tools.client';
import type { Passage } from './extractive-answerer';
import { groundedPrompt, isNoAnswer, mightBeNoAnswer } from './grounded-prompt';
import { NO_DELTAS, ReplyDeltas, type DeltaSink } from './reply-deltas';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS, truncateToTokens } from './token-budget';

export interface ToolCallRecord {
  operation: string;
  argumentsJson: string;
  ok: boolean;
}

export type LlmOutcome =
  | { kind: 'answered'; text: string; passages: Passage[]; toolCalls: ToolCallRecord[] }
  | { kind: 'no_answer'; toolCalls: ToolCallRecord[] }
  | { kind: 'failed'; reason: 'breaker_open' | 'llm_error'; error: unknown; toolCalls: ToolCallRecord[] };

// One tool result may take at most this much of the prompt, so a huge order history cannot crowd
// out the sources and the rest of the conversation.
const MAX_TOOL_RESULT_TOKENS = 1_500;
const BUDGET_SPENT = JSON.stringify({ error: 'result left out: the prompt budget is spent' });

@Injectable()
export class LlmAnswerer {
  constructor(
    private readonly llm: GuardedLlm,
    private readonly tools: ToolsClient,
    private readonly deltas: ReplyDeltas,
    @Inject(CONFIG) private readonly config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async answer(request: AnswerRequest, passages: Passage[], styleGuide: StyleGuide | undefined): Promise<LlmOutcome> {
    const toolCalls: ToolCallRecord[] = [];
    if (this.llm.state === 'open')
      return { kind: 'failed', reason: 'breaker_open', error: new Error('the LLM circuit breaker is open'), toolCalls };
    const deadline = Date.now() + this.config.LLM_ANSWER_BUDGET_MS;
    const sink = request.stream && request.turnId ? this.deltas.open(request) : NO_DELTAS;
    const reply = new StreamedReply(sink);
    try {
      const tools = await this.offeredTools(request);
      const maxPrompt = this.config.LLM_MAX_PROMPT_TOKENS;
      const prompt = groundedPrompt(
        { question: request.question, locale: request.locale, passages, facts: request.facts, styleGuide, toolsOffered: tools.length > 0 },
        maxPrompt,
        tools.length > 0 ? estimateTokens(JSON.stringify(tools)) : 0,
      );
      const messages: ChatMessage[] = [...prompt.messages];
      let promptTokens = prompt.tokens;
      for (let round = 0; ; round += 1) {
        const lastRound = tools.length === 0 || round >= this.config.LLM_MAX_TOOL_ROUNDS;
        const turn = await this.llm.complete(
          { messages, tools, toolChoice: lastRound ? 'none' : 'auto', maxTokens: this.config.LLM_MAX_ANSWER_TOKENS },
          { onAttempt: () => reply.startAttempt(), onText: (text) => reply.push(text), deadline, mayRetry: () => reply.mayRetry },
        );
        if (lastRound || turn.toolCalls.length === 0) {
          if (isNoAnswer(turn.content)) return { kind: 'no_answer', toolCalls };
          reply.endRound();
          if (reply.text.trim() === '') throw new LlmEmptyAnswerError(turn.finishReason);
          // The last sentence may have no sentence end after it: it is checked and shown too.
          await sink.finish();
          return { kind: 'answered', text: reply.text, passages: prompt.passages, toolCalls };
        }
        reply.endRound();
        const toolRequest = assistantToolCalls(turn);
        messages.push(toolRequest);
        promptTokens += estimateTokens(JSON.stringify(toolRequest)) + MESSAGE_OVERHEAD_TOKENS;
        for (const call of turn.toolCalls) {
          const { record, message } = await this.runToolCall(request, call, tools, maxPrompt - promptTokens);
          toolCalls.push(record);
          messages.push(message);
          promptTokens += estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
        }
      }
    } catch (error) {
      return { kind: 'failed', reason: isBreakerOpen(error) ? 'breaker_open' : 'llm_error', error, toolCalls };
    } finally {
      // Every delta is out before the caller publishes the final reply, so none trails it; after a
      // failure, text past the last checked sentence is not shown (the fallback replaces it).
      await sink.flush();
    }
  }

  /** Runs one call the model asked for; its result goes back cut to what is left of the prompt budget. */
  private async runToolCall(
    request: AnswerRequest,
    call: ModelToolCall,
    offered: ToolSpec[],
    tokensLeft: number,
  ): Promise<{ record: ToolCallRecord; message: ChatCompletionToolMessageParam & { content: string } }> {
    const outcome = offered.some((t) => t.function.name === call.name)
      ? await this.tools.call(
          { tenantId: request.tenantId, conversationId: request.conversationId, verifiedUserId: request.verifiedUserId },
          call.name,
          call.arguments,
        )
      : { ok: false, content: JSON.stringify({ error: `there is no tool named ${call.name}` }) };
    const room = Math.min(MAX_TOOL_RESULT_TOKENS, tokensLeft - MESSAGE_OVERHEAD_TOKENS);
    return {
      record: { operation: call.name, argumentsJson: call.arguments, ok: outcome.ok },
      message: { role: 'tool', tool_call_id: call.id, content: truncateToTokens(outcome.content, room) || BUDGET_SPENT },
    };
  }

  /** The requested tools the integration service defines; none when it cannot say. */
  private async offeredTools(request: AnswerRequest): Promise<ToolSpec[]> {
    if (request.tools.length === 0) return [];
    try {
      return await this.tools.specs(request.tenantId, request.tools);
    } catch (error) {
      this.log.warn({ reason: describeLlmError(error) }, 'could not fetch the tool definitions; answering without tools');
      return [];
    }
  }
}

function assistantToolCalls(turn: ModelTurn): ChatMessage {
  return {
    role: 'assistant',
    content: turn.content || null,
    tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
}

/**
 * The reply as the customer sees it, across rounds. A round's text is held back while it could
 * still be the no-answer marker (so "NO_ANSWER" never reaches the customer), then released in
 * order; rounds are separated by a blank line. `text` is exactly what was pushed to the sink.
 */
class StreamedReply {
  text = '';
  private round = '';
  private roundStart = 0;
  private released = false;

  constructor(private readonly sink: DeltaSink) {}

  /** A retry may redo this round unless its text already left the process. */
  get mayRetry(): boolean {
    return !this.released || !this.sink.live;
  }

  /** A new model attempt: whatever an earlier, failed attempt of this round produced is void. */
  startAttempt(): void {
    this.text = this.text.slice(0, this.roundStart);
    this.round = '';
    this.released = false;
  }

  push(piece: string): void {
    this.round += piece;
    if (this.released) this.emit(piece);
    else if (!mightBeNoAnswer(this.round)) this.release();
  }

  /** The round is over: whatever it still held back (not the marker) is part of the reply. */
  endRound(): void {
    if (!this.released && this.round.trim() !== '' && !isNoAnswer(this.round)) this.release();
    this.round = '';
    this.released = false;
    this.roundStart = this.text.length;
  }

  private release(): void {
    this.released = true;
    if (this.text !== '' && !/\s$/.test(this.text)) this.emit('\n\n');
    this.emit(this.text === '' ? this.round.trimStart() : this.round);
  }

  private emit(piece: string): void {
    this.text += piece;
    this.sink.push(piece);
  }
}
