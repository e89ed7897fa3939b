// Plays scripted customers against a running stack over gRPC and scores each trial by the order
// system's end state, as tau-bench does: after the conversation the customer's account and orders
// are read; the tenant's data is then reset and the task's reference calls are applied; the two
// states must be equal. Every trial starts from the pristine data.
import { randomUUID } from 'node:crypto';
import { OPERATOR, type ReferenceSystem } from '@switchboard/integration-service';
import type { ChatClient } from '../chat/chat.client';
import type { TrialResult } from './pass-k';
import { answerTo, type SimulationTask } from './simulation-task';

/** A conversation that has not ended after this many customer messages has gone round in circles. */
const MAX_TURNS = 14;

export interface SimulationOptions {
  tenantId: string;
  repeat: number;
  /** Called after each trial, e.g. to print progress. */
  onTrial?: (result: TrialResult & { turns: number }) => void;
}

export class SimulationRunner {
  constructor(
    private readonly chat: ChatClient,
    private readonly system: ReferenceSystem,
  ) {}

  async run(tasks: SimulationTask[], options: SimulationOptions): Promise<TrialResult[]> {
    const results: TrialResult[] = [];
    for (let trial = 0; trial < options.repeat; trial += 1) {
      for (const task of tasks) {
        const result = await this.trial(task, trial, options.tenantId);
        results.push(result);
        options.onTrial?.(result);
      }
    }
    await this.system.seeder.seedReferenceData(options.tenantId);
    return results;
  }

  private async trial(task: SimulationTask, trial: number, tenantId: string): Promise<TrialResult & { turns: number }> {
    await this.system.seeder.seedReferenceData(tenantId);
    const { turns, lastReply } = await this.converse(task, trial);
    const actual = await this.snapshot(tenantId, task.userId);

    await this.system.seeder.seedReferenceData(tenantId);
    for (const call of task.expected) {
      const outcome = await this.system.tools.call(tenantId, call.operation, call.arguments, OPERATOR);
      if (!outcome.ok)
        throw new Error(
          `task ${task.id}: its expected call ${call.operation} is refused by the order system (${outcome.error}); fix the task file`,
        );
    }
    const expected = await this.snapshot(tenantId, task.userId);
    const differing = Object.keys({ ...actual, ...expected }).filter((key) => canonical(actual[key]) !== canonical(expected[key]));
    const base = { taskId: task.id, intent: task.intent, trial, turns };
    // The bot's last words say where the conversation stopped (a development stack's test data only).
    return differing.length === 0
      ? { ...base, passed: true }
      : { ...base, passed: false, reason: `end state differs in ${differing.join(', ')}; the bot last said "${lastReply.slice(0, 140)}"` };
  }

  /** One conversation: the opening, then an answer to each reply, until the bot asks nothing the script answers. */
  private async converse(task: SimulationTask, trial: number): Promise<{ turns: number; lastReply: string }> {
    // A customer id of its own: the stack remembers verified customers by id.
    const customerId = `sim-${randomUUID()}`;
    let conversationId: string | undefined;
    let message: string | undefined = task.opening[trial % task.opening.length];
    let turns = 0;
    let lastReply = '';
    while (message !== undefined && turns < MAX_TURNS) {
      turns += 1;
      let reply = '';
      let handedOff = false;
      const locale = task.language === 'zh' ? 'zh-CN' : 'en-US';
      for await (const event of this.chat.converse({
        clientMessageId: randomUUID(),
        customerId,
        channel: 'simulator',
        locale,
        text: message,
        ...(conversationId ? { conversationId } : {}),
      })) {
        conversationId ??= event.conversationId;
        if (event.kind === 'reply' && event.reply) reply = event.reply.text;
        if (event.kind === 'handoff') handedOff = true;
      }
      lastReply = reply;
      message = handedOff ? undefined : answerTo(task, reply, trial);
    }
    return { turns, lastReply };
  }

  /** The customer's account and each of their orders, as the order system holds them. */
  private async snapshot(tenantId: string, userId: string): Promise<Record<string, unknown>> {
    const user = await this.system.tools.call(tenantId, 'get_user_details', { user_id: userId }, OPERATOR);
    if (!user.ok) throw new Error(`user ${userId}: ${user.error}`);
    const state: Record<string, unknown> = { [`user ${userId}`]: user.result };
    for (const orderId of (user.result as { orders: string[] }).orders) {
      const order = await this.system.tools.call(tenantId, 'get_order_details', { order_id: orderId }, OPERATOR);
      state[`order ${orderId}`] = order.ok ? order.result : order.error;
    }
    return state;
  }
}

/** JSON with keys sorted, so field order does not count. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
