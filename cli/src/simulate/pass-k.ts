// pass^k as tau-bench defines it: a task passes^k when all k of its trials succeed; pass^1 is the
// share of trials that succeed. Both are averaged over an intent's tasks.

export interface TrialResult {
  taskId: string;
  intent: string;
  trial: number;
  passed: boolean;
  /** Why it failed, for the report (no customer data: operation names and record ids only). */
  reason?: string;
}

export interface IntentFigures {
  intent: string;
  tasks: number;
  trials: number;
  passAt1: number;
  passAtK: number;
}

export function figuresPerIntent(results: TrialResult[], k: number): IntentFigures[] {
  const byIntent = new Map<string, Map<string, boolean[]>>();
  for (const r of results) {
    const tasks = byIntent.get(r.intent) ?? new Map<string, boolean[]>();
    tasks.set(r.taskId, [...(tasks.get(r.taskId) ?? []), r.passed]);
    byIntent.set(r.intent, tasks);
  }
  const all = new Map<string, boolean[]>();
  const figures = [...byIntent]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([intent, tasks]) => {
      for (const [id, outcomes] of tasks) all.set(`${intent}/${id}`, outcomes);
      return figure(intent, tasks, k);
    });
  if (byIntent.size > 1) figures.push(figure('all', all, k));
  return figures;
}

function figure(intent: string, tasks: Map<string, boolean[]>, k: number): IntentFigures {
  const outcomes = [...tasks.values()];
  const trials = outcomes.flat();
  return {
    intent,
    tasks: outcomes.length,
    trials: trials.length,
    passAt1: trials.filter(Boolean).length / trials.length,
    passAtK: outcomes.filter((o) => o.length >= k && o.every(Boolean)).length / outcomes.length,
  };
}
