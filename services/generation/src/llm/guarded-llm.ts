// The LLM as the answer service sees it: every model call goes through one circuit breaker and is
// retried on passing trouble. When the endpoint keeps failing or hanging, the breaker opens and
// calls fail at once (the caller answers extractively) until, after LLM_BREAKER_RESET_MS, one call
// is let through to see whether the endpoint has recovered.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { Gauge, register } from 'prom-client';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { LlmClient, type ModelCall, type ModelTurn, type StreamOptions } from './llm.client';
import { AnswerBudgetExceededError } from './llm.errors';
import { isRequestFault, retryDelayMs, type RetryPolicy } from './retry-policy';

export type BreakerState = 'closed' | 'half_open' | 'open';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

const breakerGauge =
  (register.getSingleMetric('switchboard_llm_breaker_state') as Gauge | undefined) ??
  new Gauge({
    name: 'switchboard_llm_breaker_state',
    help: 'LLM circuit breaker: 0 closed (LLM answers), 1 half-open (one trial call), 2 open (extractive answers)',
  });

export interface CompleteOptions {
  /** Called before every attempt: text streamed by an earlier, failed attempt is void. */
  onAttempt: () => void;
  onText: (text: string) => void;
  /** Epoch ms by which the whole answer must be done; no attempt or wait runs past it. */
  deadline: number;
  /** Asked before a retry: false once streamed text has reached the customer, who would see it twice. */
  mayRetry: () => boolean;
}

@Injectable()
export class GuardedLlm implements OnModuleDestroy {
  private readonly breaker: CircuitBreaker<[ModelCall, StreamOptions], ModelTurn>;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly llm: LlmClient,
    @Inject(CONFIG) private readonly config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.retry = { baseMs: config.LLM_RETRY_BASE_MS, maxDelayMs: config.LLM_RETRY_MAX_DELAY_MS };
    this.breaker = new CircuitBreaker((call: ModelCall, options: StreamOptions) => llm.stream(call, options), {
      name: 'llm',
      timeout: config.LLM_TIMEOUT_MS,
      resetTimeout: config.LLM_BREAKER_RESET_MS,
      errorThresholdPercentage: config.LLM_BREAKER_ERROR_PERCENT,
      volumeThreshold: config.LLM_BREAKER_MIN_CALLS,
      rollingCountTimeout: config.LLM_BREAKER_WINDOW_MS,
      rollingCountBuckets: 10,
      errorFilter: isRequestFault,
      enableSnapshots: false,
    });
    breakerGauge.set(STATE_VALUE.closed);
    // opossum emits each event once per transition, so each line below is logged once per change.
    this.breaker.on('open', () => {
      breakerGauge.set(STATE_VALUE.open);
      this.log.warn(
        { breaker: 'llm', state: 'open', resetMs: config.LLM_BREAKER_RESET_MS },
        `LLM circuit breaker opened: answering extractively for the next ${config.LLM_BREAKER_RESET_MS} ms`,
      );
    });
    this.breaker.on('halfOpen', () => {
      breakerGauge.set(STATE_VALUE.half_open);
      this.log.info({ breaker: 'llm', state: 'half_open' }, 'LLM circuit breaker half-open: the next call tries the LLM again');
    });
    this.breaker.on('close', () => {
      breakerGauge.set(STATE_VALUE.closed);
      this.log.info({ breaker: 'llm', state: 'closed' }, 'LLM circuit breaker closed: the LLM answers again');
    });
  }

  get configured(): boolean {
    return this.llm.configured;
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  /** One model call, retried while that can help, the breaker allows it and the deadline is not reached. */
  async complete(call: ModelCall, { onAttempt, onText, deadline, mayRetry }: CompleteOptions): Promise<ModelTurn> {
    for (let attempt = 1; ; attempt += 1) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new AnswerBudgetExceededError(this.config.LLM_ANSWER_BUDGET_MS);
      onAttempt();
      const controller = new AbortController();
      // The breaker's timeout only stops waiting; aborting also closes the connection.
      const budgetTimer = setTimeout(() => controller.abort(new AnswerBudgetExceededError(this.config.LLM_ANSWER_BUDGET_MS)), remaining);
      try {
        return await this.breaker.fire(call, {
          signal: controller.signal,
          onText: (text) => {
            if (!controller.signal.aborted) onText(text);
          },
        });
      } catch (error) {
        controller.abort();
        const delay = retryDelayMs(error, attempt, this.retry);
        if (delay === undefined || attempt > this.config.LLM_RETRIES || !mayRetry() || Date.now() + delay >= deadline) throw error;
        this.log.info({ attempt, delayMs: delay, reason: describeLlmError(error) }, 'LLM call failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        clearTimeout(budgetTimer);
      }
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }
}

/** A short, PII-free description for logs: the status or code and the SDK's message. */
export function describeLlmError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { status?: number }).status;
  const code = (error as { code?: unknown }).code;
  return [status, typeof code === 'string' ? code : undefined, error.message].filter((part) => part !== undefined).join(' ');
}
