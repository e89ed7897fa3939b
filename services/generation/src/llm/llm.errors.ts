// Failures of a model call that the SDK does not name itself.

/** The stream ended or broke before the model said it had finished, so the answer may be cut. */
export class LlmStreamBrokenError extends Error {
  constructor(cause?: unknown) {
    super(
      `the LLM stream ended before its finish_reason${cause instanceof Error ? ` (${cause.message})` : ''}; the connection was probably cut`,
      { cause },
    );
    this.name = 'LlmStreamBrokenError';
  }
}

/** The answer's time for the LLM (LLM_ANSWER_BUDGET_MS) ran out. */
export class AnswerBudgetExceededError extends Error {
  constructor(budgetMs: number) {
    super(`the LLM did not finish within the answer budget of ${budgetMs} ms (LLM_ANSWER_BUDGET_MS)`);
    this.name = 'AnswerBudgetExceededError';
  }
}

/** The model finished without saying anything. */
export class LlmEmptyAnswerError extends Error {
  constructor(finishReason: string) {
    super(`the LLM finished (${finishReason}) without any text`);
    this.name = 'LlmEmptyAnswerError';
  }
}
