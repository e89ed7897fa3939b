// Autonomy earned per intent: whether the bot may carry out a confirmed order action alone, from
// the tenant's bar for the intent (the pass^k it needs) and the simulator's latest figures for it.
// Figures measured on other order flows, or before the tenant's intent examples or knowledge base
// last changed, say nothing about today's bot, so they count as not measured, which is below any
// bar above 0.
import type { ActionIntent } from '../dialogue/dialogue-state';
import { RETAIL_FLOWS } from '../dialogue/order-flows';

/** The intents a bar applies to: the order flows. */
export function isActionIntent(intent: string): intent is ActionIntent {
  return Object.hasOwn(RETAIL_FLOWS, intent);
}

/** What `switchboard simulate --record` stored for one intent, and what it was measured against. */
export interface IntentFigures {
  tasks: number;
  k: number;
  pass1: number;
  passK: number;
  measuredAt: Date;
  intentsRevision: number;
  knowledgeRevision: number;
  /** The order flows' code it was measured on (flows-revision.ts). */
  flowsRevision: string;
}

export type AutonomyDecision = { act: true } | { act: false; why: string };

/** The tenant's revisions now; figures measured at others are out of date. */
export interface Revisions {
  intents: number;
  knowledge: number;
  /** The order flows this process runs. */
  flows: string;
}

/**
 * `bar` 0 (the default) keeps today's behaviour: the bot acts on the customer's "yes". Above 0 the
 * intent's figures must be current (measured on the flows this process runs, at the tenant's
 * intent-examples and knowledge revisions of now) and their pass^k at least the bar.
 */
export function decideAutonomy(intent: ActionIntent, bar: number, figures: IntentFigures | undefined, now: Revisions): AutonomyDecision {
  if (bar <= 0) return { act: true };
  const needs = `${intent} needs pass^k ${bar.toFixed(2)}`;
  if (!figures) return { act: false, why: `${needs}; it has not been measured` };
  const measured = figures.measuredAt.toISOString();
  if (figures.flowsRevision !== now.flows)
    return {
      act: false,
      why: `${needs}; its figures (${measured}) were measured on other order flows (revision ${figures.flowsRevision || 'unknown'}; this service runs ${now.flows})`,
    };
  if (figures.intentsRevision !== now.intents)
    return { act: false, why: `${needs}; its figures (${measured}) predate the intent examples' revision ${now.intents}` };
  if (figures.knowledgeRevision !== now.knowledge)
    return { act: false, why: `${needs}; its figures (${measured}) predate the knowledge base's revision ${now.knowledge}` };
  if (figures.passK < bar)
    return { act: false, why: `${needs}; measured ${figures.passK.toFixed(2)} over ${figures.tasks} tasks (k=${figures.k})` };
  return { act: true };
}
