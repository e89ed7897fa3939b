// The only place that talks to an LLM: the `openai` SDK against whatever OpenAI-compatible
// endpoint is configured.
import { Inject, Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import { CONFIG } from '@switchboard/platform';
import type { GenerationConfig } from '../config';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

@Injectable()
export class LlmClient {
  private readonly client?: OpenAI;

  constructor(@Inject(CONFIG) private readonly config: GenerationConfig) {
    if (config.LLM_BASE_URL) {
      this.client = new OpenAI({ baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, timeout: config.LLM_TIMEOUT_MS, maxRetries: 1 });
    }
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  async complete(messages: ChatMessage[]): Promise<string> {
    if (!this.client) throw new Error('no LLM endpoint is configured (set LLM_BASE_URL)');
    const completion = await this.client.chat.completions.create({ model: this.config.LLM_MODEL, messages, temperature: 0.2, max_tokens: 400 });
    const text = completion.choices[0]?.message?.content?.trim();
    if (!text) throw new Error('the LLM returned an empty answer');
    return text;
  }
}
