// The only place that talks to an LLM: the `openai` SDK against whatever OpenAI-compatible
// endpoint is configured. One method, one streamed completion: streaming is used even when nobody
// watches the tokens, because it is one code path and it shows a cut connection (no finish_reason)
// that a plain response would hide. Retries and the breaker live in GuardedLlm, so the SDK's own
// retries are off.
import { Inject, Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CONFIG } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { LlmStreamBrokenError } from './llm.errors';

export type ChatMessage = ChatCompletionMessageParam;
export type ToolSpec = ChatCompletionFunctionTool;

export interface ModelCall {
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** "none" makes the model answer in text although tools are defined (the last round). */
  toolChoice: 'auto' | 'none';
  maxTokens: number;
}

export interface ModelToolCall {
  id: string;
  name: string;
  /** The model's arguments as it wrote them: usually, but not surely, a JSON object. */
  arguments: string;
}

export interface ModelTurn {
  content: string;
  toolCalls: ModelToolCall[];
  finishReason: string;
}

export interface StreamOptions {
  signal: AbortSignal;
  /** Each piece of text as it arrives. */
  onText: (text: string) => void;
}

const TEMPERATURE = 0.2;

@Injectable()
export class LlmClient {
  private readonly client?: OpenAI;

  constructor(@Inject(CONFIG) private readonly config: GenerationConfig) {
    if (config.LLM_BASE_URL) {
      this.client = new OpenAI({ baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, timeout: config.LLM_TIMEOUT_MS, maxRetries: 0 });
    }
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  async stream(call: ModelCall, { signal, onText }: StreamOptions): Promise<ModelTurn> {
    if (!this.client) throw new Error('no LLM endpoint is configured (set LLM_BASE_URL)');
    const offersTools = call.tools.length > 0;
    let stream;
    try {
      stream = await this.client.chat.completions.create(
        {
          model: this.config.LLM_MODEL,
          messages: call.messages,
          temperature: TEMPERATURE,
          max_tokens: call.maxTokens,
          stream: true,
          ...(offersTools ? { tools: call.tools, tool_choice: call.toolChoice } : {}),
        },
        { signal },
      );
    } catch (error) {
      throw signal.aborted ? abortReason(signal) : error;
    }

    let content = '';
    let finishReason: string | undefined;
    const toolCalls = new Map<number, ModelToolCall>();
    try {
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (!choice) continue; // e.g. a usage-only chunk
        const text = choice.delta?.content;
        if (text) {
          content += text;
          onText(text);
        }
        for (const part of choice.delta?.tool_calls ?? []) {
          // The first fragment of a call carries its id and name; the arguments come in pieces.
          const toolCall = toolCalls.get(part.index) ?? { id: '', name: '', arguments: '' };
          if (part.id) toolCall.id = part.id;
          if (part.function?.name) toolCall.name += part.function.name;
          if (part.function?.arguments) toolCall.arguments += part.function.arguments;
          toolCalls.set(part.index, toolCall);
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (error instanceof OpenAI.APIError) throw error; // an error event inside the stream
      throw new LlmStreamBrokenError(error);
    }
    // The SDK ends the iteration quietly when the request is aborted.
    if (signal.aborted) throw abortReason(signal);
    if (finishReason === undefined) throw new LlmStreamBrokenError();
    return {
      content,
      toolCalls: [...toolCalls.entries()].sort(([a], [b]) => a - b).map(([, toolCall]) => toolCall),
      finishReason,
    };
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the LLM call was aborted');
}
