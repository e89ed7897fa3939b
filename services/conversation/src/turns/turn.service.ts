// One customer turn: moderate the input, understand it against the dialogue state, then either run
// a task against the order system, answer from the knowledge base, ask for what is missing, or hand
// the customer to a person; moderate the reply; store it, its events and the new state together.
// Safe to run twice for the same turn (redelivery after a crash): the message is stored once and
// the reply is produced once.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Action,
  ConversationEventSchema,
  ConversationLifecycleEventSchema,
  create,
  Direction,
  OutboundEventSchema,
  Topics,
  type CheckResult,
  type InboundTurn,
  type MessageInitShape,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { RpcRemoteError } from '@switchboard/messaging';
import { extractEntities } from '@switchboard/nlu';
import { Outbox } from '@switchboard/persistence';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { ConversationRepository, type BotReply } from '../conversations/conversation.repository';
import {
  focusOrder,
  handoffSummary,
  noteTried,
  recordFrustration,
  remember,
  summaryInput,
  type ActionIntent,
  type DialogueState,
  type MessageRequest,
} from '../dialogue/dialogue-state';
import { DialogueStateStore } from '../dialogue/dialogue-state.store';
import { actionFor, addsToAction, givesNewAddress, isNo, isYes, requestsAction } from '../dialogue/order-action.task';
import { ACTION_INTENTS, collectsItems, ORDER_STATUS_INTENT } from '../dialogue/order-flows';
import { intentLabel, requestsIn } from '../dialogue/requests-in-message';
import { verificationMethod, type ChannelIdentity } from '../dialogue/customer-identity';
import type { OrderDetails, OrderTools } from '../dialogue/order-tools';
import { OrderTasks, type ReplyWithApproval } from '../dialogue/order-tasks';
import type { PreparedAction } from '../dialogue/order-action.task';
import { AutonomyRepository } from '../autonomy/autonomy.repository';
import { AutonomyService } from '../autonomy/autonomy.service';
import { changedAction, HUMAN_INTENT, Understander, type Understanding } from '../dialogue/understanding';
import { SurveyService } from '../survey/survey.service';
import { closesConversation, onlyThanks } from '../survey/survey-replies';
import { DownstreamClient, TurnDeadlineExceeded, type TurnScope } from './downstream.client';
import { asksForHuman } from './handoff-detector';
import { cannedReply, languageOf, phrasebook, type Language } from './replies';

type EventKind = MessageInitShape<typeof ConversationEventSchema>['kind'];

const VIP_FRUSTRATION_ALLOWANCE = 0.15;
/** Repeats of one question (the customer's answers not understood) after which a person takes over instead. */
const SAME_QUESTION_HANDOFF = 2;
const GREETING_INTENT = 'greeting';
/** Intents that are no answer to "are you asking about…?" ("goodbye or product info?" was asked). */
const NOT_A_TOPIC: ReadonlySet<string> = new Set([HUMAN_INTENT, GREETING_INTENT, 'goodbye', 'other']);
/** Order-system operations an LLM may call while answering: read-only ones. */
const MODEL_TOOLS = ['get_order_details', 'get_product_details', 'list_all_product_types'];

interface ModerationRecord {
  direction: 'input' | 'output';
  action: string;
  rules: string[];
}

interface Composed {
  reply: BotReply;
  /** The customer's text with PII redacted, once moderation has seen it. */
  redactedText?: string;
  intent?: string;
  moderation: ModerationRecord[];
  /** For a hand-off: what the person taking over reads first. */
  summary?: string;
  /** A confirmed action below the tenant's autonomy bar: stored for a person to approve. */
  approval?: PreparedAction;
}

const ACTION_NAMES: Partial<Record<Action, string>> = { [Action.REDACT]: 'redact', [Action.BLOCK]: 'block', [Action.ESCALATE]: 'escalate' };

function moderationRecord(direction: 'input' | 'output', result: CheckResult): ModerationRecord[] {
  const action = ACTION_NAMES[result.action];
  return action ? [{ direction, action, rules: [...new Set(result.findings.map((f) => f.rule))] }] : [];
}

const stops = (result: CheckResult) => result.action === Action.BLOCK || result.action === Action.ESCALATE;

@Injectable()
export class TurnService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly downstream: DownstreamClient,
    private readonly states: DialogueStateStore,
    private readonly understander: Understander,
    private readonly survey: SurveyService,
    private readonly outbox: Outbox,
    private readonly autonomy: AutonomyService,
    private readonly approvals: AutonomyRepository,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(turn: InboundTurn): Promise<void> {
    const started = Date.now();
    if (!(await this.conversations.recordCustomerMessage(turn))) {
      // Never answered: the dialogue state (keyed by conversation) is the owner's, not this sender's.
      this.log.warn(
        { tenantId: turn.tenantId, conversationId: turn.conversationId, turnId: turn.turnId },
        'turn refused: the conversation belongs to another customer or channel',
      );
      return;
    }
    if (await this.conversations.hasReply(turn.tenantId, turn.turnId)) {
      // Redelivered after the reply was stored: its events are already in the outbox.
      await this.outbox.flush();
      return;
    }
    if ((await this.conversations.status(turn.tenantId, turn.conversationId)) === 'agent') {
      // A person holds the conversation: the turn stays open until the agent answers it (agents/takeover.service.ts).
      this.log.info({ turnId: turn.turnId }, 'turn left to the agent holding the conversation');
      return;
    }
    const scope: TurnScope = {
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      deadline: started + this.config.TURN_DEADLINE_MS,
    };
    const state = await this.states.load(turn.tenantId, turn.conversationId, turn.customerId);
    const channel: ChannelIdentity = {
      customerId: turn.customerId,
      authenticated: turn.customerAuthenticated,
      required: turn.requireChannelIdentity,
    };
    let composed: Composed;
    try {
      composed = await this.compose(turn, scope, state, channel);
    } catch (error) {
      if (!(error instanceof TurnDeadlineExceeded)) throw error;
      this.log.error({ err: error }, 'turn deadline passed; handing off');
      composed = {
        moderation: [],
        reply: {
          text: cannedReply('unavailable', turn.text, turn.locale),
          mode: 'template',
          grounded: false,
          sources: [],
          handoffReason: 'system_unavailable',
        },
      };
    }
    const { reply } = composed;
    // Recorded for the agents' desk: L2 sees contact details only behind the channel's proof.
    state.verifiedBy = verificationMethod(state, channel);
    // The history may reach an LLM (hand-off notes): the customer's name stays out of it.
    remember(state, { role: 'bot', text: rememberedText(state, reply.text) });
    state.turns += 1;
    if (reply.handoffReason && composed.redactedText !== undefined)
      composed.summary = await this.handoffSummary(scope, turn.locale, state, reply.handoffReason);
    // The person who takes over reads the requests left in the summary and carries them on.
    if (reply.handoffReason) state.requests = undefined;
    await this.conversations.recordReply(turn, reply, (m) => this.stageEvents(m, turn, composed, state, Date.now() - started));
    await this.states.save(turn.tenantId, turn.conversationId, turn.customerId, state);
    await this.outbox.flush();
    this.log.info(
      { mode: reply.mode, intent: composed.intent, grounded: reply.grounded, handoff: reply.handoffReason, ms: Date.now() - started },
      'turn completed',
    );
  }

  private async compose(turn: InboundTurn, scope: TurnScope, state: DialogueState, channel: ChannelIdentity): Promise<Composed> {
    const language = languageOf(turn.text, turn.locale);
    const say = phrasebook(language);
    const input = await this.downstream.moderate(scope, Direction.INPUT, turn.text);
    const moderation = moderationRecord('input', input);
    if (stops(input)) {
      const handoffReason = input.action === Action.ESCALATE ? 'moderation' : undefined;
      return { moderation, reply: { text: input.safeReply, mode: 'moderation', grounded: false, sources: [], handoffReason } };
    }
    // From here on only the redacted text travels: no PII reaches search, the LLM or events.
    const question = input.text;
    remember(state, { role: 'customer', text: question });
    // An action offered after a policy answer lasts one turn: a yes takes it up, anything else lets it go.
    const offered = state.offered;
    state.offered = undefined;
    const template = (text: string): Composed => ({
      redactedText: question,
      moderation,
      reply: { text, mode: 'template', grounded: false, sources: [] },
    });
    // The satisfaction survey: the answer to an open offer, then the offer itself when the customer
    // closes. Before understanding, so "5" or "thanks, that's all" is not read as a request.
    const rated = await this.survey.answer(turn, question);
    if (rated) return template(rated.duplicate ? say.surveyAlreadyRated(rated.rating) : say.surveyThanks(rated.rating));
    // Not while an order action waits for the customer: that task is not finished.
    if (!state.action && (await this.survey.offersOn(turn, question, state.turns > 0))) return template(say.surveyOffer);
    // "That's all, thanks" with no survey to offer: a goodbye, not a search of the knowledge base;
    // "thank you!" alone is thanked back, unless an offer is open (then "ok, thanks" may take it up).
    if (!state.action && state.turns > 0) {
      if (closesConversation(question)) return template(say.closing);
      if (!offered && onlyThanks(question)) return template(say.welcome);
    }
    const understanding = await this.understander.understand(turn.tenantId, turn.text, question, language, state, (orderId) =>
      this.itemNamesOf(scope, state, orderId),
    );
    recordFrustration(state, understanding.frustration);
    const done = (reply: BotReply, intent = understanding.intent): Composed => ({ redactedText: question, intent, moderation, reply });
    const handoff = (reason: string, text: string): Composed =>
      done({ text, mode: 'template', grounded: false, sources: [], handoffReason: reason });

    // Frustration first: an angry "get me a manager" is handed off as frustration, which ranks higher.
    if (this.frustrated(state)) return handoff('frustration', say.frustrated);
    if (asksForHuman(question) || understanding.intent === HUMAN_INTENT) return handoff('customer_asked', say.handoff);
    const task = this.orderTask(scope, understanding, state, question, turn.text, offered);
    // The very reply of the last turn again (a question, an offer): what the customer said did not
    // move things on. Rather than say it for ever (a customer insisting on something the order
    // cannot take was asked 13 times, another offered the same action 12 times), a person takes
    // over instead of a third time. The last reply may have begun with a greeting.
    const askedLast = [...state.recent].reverse().find((t) => t.role === 'bot')?.text;
    const saidThirdTime = (text: string, again: boolean): boolean => {
      state.lowConfidenceStreak = again && askedLast?.endsWith(rememberedText(state, text)) === true ? state.lowConfidenceStreak + 1 : 0;
      return state.lowConfidenceStreak >= SAME_QUESTION_HANDOFF;
    };

    if (task) {
      try {
        const verifiedBefore = state.verifiedUserId !== undefined;
        const tasks = new OrderTasks(this.orderTools(scope), language, channel);
        const { approval, ...reply } = await task(tasks);
        if (saidThirdTime(reply.text, state.awaiting !== undefined)) {
          noteTried(state, 'asked the same question twice without an answer it could use');
          state.action = undefined;
          state.awaiting = undefined;
          return handoff('low_confidence', say.lowConfidence);
        }
        // Greeted by name once, on the turn the CRM recognised them.
        if (!verifiedBefore && state.firstName) reply.text = `${say.thanks(state.firstName)} ${reply.text}`;
        return { ...done(await this.nextRequest(tasks, state, reply, language), state.intent), approval };
      } catch (error) {
        if (error instanceof TurnDeadlineExceeded) throw error;
        this.log.error({ err: error }, 'the order system failed; handing off');
        return handoff('tool_failure', say.toolFailed);
      }
    }
    if (understanding.intent === GREETING_INTENT && !/[?？]/.test(question)) {
      state.lowConfidenceStreak = 0;
      return done({
        text: state.firstName ? say.greetingNamed(state.firstName) : say.greeting,
        mode: 'template',
        grounded: false,
        sources: [],
      });
    }
    if (understanding.intent) state.intent = understanding.intent;

    const answered = await this.answerFromKnowledge(turn, scope, state, question, moderation);
    // A question about an action the bot can take ("How do I cancel order #W…?", "can I return the
    // lamp I got?") may be a polite request: the answer ends by offering it, and the customer who
    // meant the request says yes instead of asking again in other words.
    const offer =
      answered.reply.mode === 'moderation' || answered.reply.handoffReason ? undefined : offerable(understanding, state, question);
    if (offer) state.offered = { intent: offer, text: question };
    if (answered.reply.grounded) {
      state.lowConfidenceStreak = 0;
      noteTried(state, `answered from the knowledge base (${answered.reply.sources[0]?.title ?? answered.reply.mode})`);
      const text = offer ? `${answered.reply.text}\n\n${say.offer(say.requests[offer])}` : answered.reply.text;
      return { ...answered, reply: { ...answered.reply, text }, intent: understanding.intent };
    }
    // Nothing in the knowledge base: the offer stands alone, rather than a hand-off to a person;
    // made twice in a row and not taken, a person takes over instead of a third time.
    if (offer) {
      const text = say.offerInstead(say.requests[offer]);
      if (saidThirdTime(text, true)) {
        noteTried(state, `offered to ${offer.replace(/_/g, ' ')} twice without a yes`);
        state.offered = undefined;
        return handoff('low_confidence', say.lowConfidence);
      }
      return { ...answered, reply: { text, mode: 'template', grounded: false, sources: [] }, intent: understanding.intent };
    }
    return this.whenUnanswered(answered, understanding, state, language);
  }

  /**
   * The order task this message moves forward, if any: an answer to a pending confirmation or
   * question, a request to act on an order ("cancel my order"), or an order-status question.
   * Questions about the policy ("can I cancel a pending order?") go to the knowledge base instead.
   */
  private orderTask(
    scope: TurnScope,
    understanding: Understanding,
    state: DialogueState,
    question: string,
    raw: string,
    offered: DialogueState['offered'],
  ): ((tasks: OrderTasks) => Promise<ReplyWithApproval>) | undefined {
    const pending = state.action;
    if (offered && !pending && isYes(question)) {
      return startAction(state, offered.intent, `${offered.text}\n${question}`, `${offered.text}\n${question}`);
    }
    if (pending && state.awaiting?.kind === 'confirm') {
      // The tenant's autonomy bar for the intent decides whether "yes" acts or asks a person to approve;
      // a yes to part of it ("yes, just the blue pair") is spelt out again for those items alone.
      if (isYes(question))
        return (tasks) =>
          tasks.execute(
            state,
            this.autonomy.checkFor(scope.tenantId, () => this.downstream.knowledgeRevision(scope)),
            question,
            raw,
          );
      if (isNo(question)) return async (tasks) => tasks.decline(state);
      // "Also the notebook": one more item for the same action, confirmed again as a whole.
      if (collectsItems(pending.intent) && addsToAction(question)) return (tasks) => tasks.act(state, pending.intent, question, raw, true);
      state.action = undefined; // anything else moves on; nothing is done without a "yes"
      state.awaiting = undefined;
    }
    // "Actually, rather than cancelling, ship it to my new address": the new action, same order.
    const changed = pending && state.awaiting?.kind === 'detail' ? changedAction(question, pending.intent) : undefined;
    if (changed) {
      state.action = undefined;
      state.awaiting = undefined;
      return startAction(state, changed, question, raw);
    }
    if (pending && (state.awaiting?.kind === 'detail' || (state.awaiting?.kind === 'slots' && understanding.filled.length > 0))) {
      return (tasks) => tasks.act(state, pending.intent, question, raw);
    }
    const intent = understanding.intent;
    // The gate reads the message as written and as the classifier read it ("can u chnage the adress
    // on my acount"); either is enough, since the examples' words do not cover every request word.
    const spelled = understanding.spelled ?? question;
    // Two requests in one message: the first now, the others once it is done.
    const [first, ...later] = requestsOf(understanding, question, raw) ?? [];
    if (first) {
      state.requests = later;
      // An order number in a later request is that request's, not this one's.
      if (understanding.filled.includes('order_id') && !orderIdIn(first.text)) delete state.slots.order_id;
      return startAction(state, first.intent, first.text, first.raw);
    }
    if (
      intent &&
      ACTION_INTENTS.has(intent) &&
      (requestsAction(question) || (spelled !== question && requestsAction(spelled)) || givesNewAddress(intent, raw))
    ) {
      const action = actionFor(intent, asRead(understanding, question));
      state.intent = intent;
      return (tasks) => tasks.act(state, action, question, raw);
    }
    if (intent === ORDER_STATUS_INTENT) {
      state.intent = ORDER_STATUS_INTENT;
      state.action = undefined;
      return (tasks) => tasks.status(state);
    }
    return undefined;
  }

  /**
   * Once the action in hand is over (done, refused, declined or sent for approval), the next request
   * of the same message: said after the first reply, with its own question or confirmation.
   */
  private async nextRequest(tasks: OrderTasks, state: DialogueState, reply: BotReply, language: Language): Promise<BotReply> {
    const next = state.awaiting ? undefined : state.requests?.shift();
    if (!next) return reply;
    state.intent = intentLabel(next.intent);
    // Its own order when it names one; otherwise it is found by the items it names, or asked.
    const orderId = orderIdIn(next.text);
    if (orderId) focusOrder(state, orderId);
    else delete state.slots.order_id;
    const say = phrasebook(language);
    const more = await tasks.act(state, next.intent, next.text, next.raw);
    return {
      ...reply,
      text: `${reply.text}\n\n${say.alsoAsked(say.requests[next.intent], more.text)}`,
      grounded: reply.grounded || more.grounded,
      sources: [...reply.sources, ...more.sources],
      mode: reply.mode === 'tool' || more.mode === 'tool' ? 'tool' : reply.mode,
    };
  }

  /** Not answered: when the bot also did not understand, it asks; after repeated failures, a person takes over. */
  private whenUnanswered(answered: Composed, understanding: Understanding, state: DialogueState, language: Language): Composed {
    if (!understanding.unsure || answered.reply.handoffReason || answered.reply.mode === 'moderation')
      return { ...answered, intent: understanding.intent };
    const say = phrasebook(language);
    state.lowConfidenceStreak += 1;
    const patience = Math.max(1, this.config.LOW_CONFIDENCE_HANDOFF_TURNS - (state.tier === 'vip' ? 1 : 0));
    if (state.lowConfidenceStreak >= patience) {
      return {
        ...answered,
        reply: { text: say.lowConfidence, mode: 'template', grounded: false, sources: [], handoffReason: 'low_confidence' },
      };
    }
    const options = understanding.likely
      .filter((l) => !NOT_A_TOPIC.has(l))
      .slice(0, 3)
      .map((l) => l.replace(/_/g, ' '));
    state.awaiting = { kind: 'clarify', options };
    if (options.length === 0) return answered;
    return { ...answered, reply: { text: say.clarify(options), mode: 'template', grounded: false, sources: [] } };
  }

  private async answerFromKnowledge(
    turn: InboundTurn,
    scope: TurnScope,
    state: DialogueState,
    question: string,
    moderation: ModerationRecord[],
  ): Promise<Composed> {
    const { passages, standardAnswer } = await this.downstream.search(scope, question, turn.locale);
    if (standardAnswer) {
      // An approved FAQ answer matched closely: it is used word for word, and says which entry.
      const output = await this.downstream.moderate(scope, Direction.OUTPUT, standardAnswer.answer);
      if (!stops(output)) {
        const source = {
          passageId: `faq:${standardAnswer.faqId}`,
          title: standardAnswer.question,
          documentId: standardAnswer.documentId,
          snippet: truncate(standardAnswer.answer, 200),
          score: standardAnswer.confidence,
        };
        return {
          redactedText: question,
          moderation,
          reply: { text: standardAnswer.answer, mode: 'standard_answer', grounded: true, sources: [source] },
        };
      }
    }
    const facts = [
      ...(state.lastOrderId ? [{ name: 'order_in_focus', value: state.lastOrderId }] : []),
      ...(state.intent ? [{ name: 'customer_wants', value: state.intent.replace(/_/g, ' ') }] : []),
      { name: 'identity_verified', value: state.verifiedUserId ? 'yes' : 'no' },
    ];
    // Once the customer is verified, the model may read their orders (never change them: that needs
    // the customer's explicit confirmation, which only the router collects).
    const tools = state.verifiedUserId ? MODEL_TOOLS : [];
    const answer = await this.downstream.answer(
      scope,
      { turnId: turn.turnId, question, locale: turn.locale },
      { passages, facts, tools, verifiedUserId: state.verifiedUserId ?? '' },
    );
    const output = await this.downstream.moderate(scope, Direction.OUTPUT, answer.text);
    const allModeration = [...moderation, ...moderationRecord('output', output)];
    if (stops(output)) {
      return {
        redactedText: question,
        moderation: allModeration,
        reply: {
          text: output.safeReply,
          mode: 'moderation',
          grounded: false,
          sources: [],
          handoffReason: output.action === Action.ESCALATE ? 'moderation' : undefined,
        },
      };
    }
    // Sources in citation order, so the reply's [n] is the n-th source.
    const sources = answer.citations
      .map((c) => passages.find((p) => p.id === c.passageId))
      .filter((p) => p !== undefined)
      .map((p) => ({ passageId: p.id, title: p.title, documentId: p.documentId, snippet: truncate(p.text, 200), score: p.score }));
    return {
      redactedText: question,
      moderation: allModeration,
      reply: { text: output.text, mode: answer.mode, grounded: answer.grounded, sources },
    };
  }

  /** The LLM's account when it can write one, then the facts from the state (who, order, what was tried). */
  private async handoffSummary(scope: TurnScope, locale: string, state: DialogueState, reason: string): Promise<string> {
    const { lines, facts } = summaryInput(state, reason);
    const written = await this.downstream.summarize(scope, locale, lines, facts);
    const assembled = handoffSummary(state, reason);
    return written ? `${written}\n\n${assembled}` : assembled;
  }

  /** VIP customers reach a person sooner: one step earlier on every hand-off threshold. */
  private frustrated(state: DialogueState): boolean {
    const vip = state.tier === 'vip' ? VIP_FRUSTRATION_ALLOWANCE : 0;
    const [previous, last] = state.frustration.slice(-2);
    if (state.frustration.length === 1) return previous >= this.config.FRUSTRATION_HANDOFF - vip;
    return (
      last >= this.config.FRUSTRATION_HANDOFF - vip ||
      (previous >= this.config.FRUSTRATION_SUSTAINED - vip && last >= this.config.FRUSTRATION_SUSTAINED - vip)
    );
  }

  /**
   * An order's product names for resolving "the one with the luggage set". Only the verified
   * owner's orders are readable; an order system that fails here leaves the reference unresolved
   * (the task that follows meets the failure and says so).
   */
  private async itemNamesOf(scope: TurnScope, state: DialogueState, orderId: string): Promise<string[] | undefined> {
    try {
      const read = await this.orderTools(scope).call('get_order_details', { order_id: orderId }, state.verifiedUserId);
      return read.ok ? ((read.result as OrderDetails).items ?? []).map((item) => item.name) : undefined;
    } catch (error) {
      if (error instanceof TurnDeadlineExceeded) throw error;
      this.log.warn({ err: error, tenantId: scope.tenantId }, 'could not read an order to resolve a reference to it');
      return undefined;
    }
  }

  private orderTools(scope: TurnScope): OrderTools {
    return {
      call: async (operation, args, verifiedUserId, confirmed) => {
        try {
          const result = await this.downstream.tool(scope, operation, args, verifiedUserId, confirmed);
          return result.ok ? { ok: true, result: JSON.parse(result.resultJson || 'null') } : { ok: false, error: result.error };
        } catch (error) {
          // A refusal the service could not even validate is still a refusal, not an outage.
          if (error instanceof RpcRemoteError && error.code === 'INVALID_ARGUMENT') return { ok: false, error: error.message };
          throw error;
        }
      },
    };
  }

  /**
   * The approval request, stored with the reply, and a ticket for it (a hand-off event the ticketing
   * service routes like any other): the ticket puts the request in the right department's queue,
   * and its department decides which agents may see and decide it. The conversation stays with the bot.
   */
  private async requestApproval(
    m: Parameters<Outbox['stage']>[0],
    turn: InboundTurn,
    prepared: PreparedAction,
    state: DialogueState,
    lifecycle: (kind: MessageInitShape<typeof ConversationLifecycleEventSchema>['kind']) => Promise<unknown>,
  ): Promise<void> {
    const id = randomUUID();
    await this.approvals.insertApproval(m, {
      id,
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      customerId: turn.customerId,
      turnId: turn.turnId,
      language: languageOf(turn.text, turn.locale),
      ...prepared,
    });
    await lifecycle({
      case: 'handoffRequested',
      value: {
        turnId: turn.turnId,
        customerId: turn.customerId,
        channel: turn.channel,
        reason: 'approval_required',
        locale: turn.locale,
        summary: `Approval ${id}: ${prepared.operation}${prepared.orderId ? ` on ${prepared.orderId}` : ''} waits for a person (${prepared.why}). The customer confirmed: "${prepared.confirmation}"`,
        intent: prepared.intent,
        tier: state.tier ?? '',
      },
    });
  }

  private async stageEvents(
    m: Parameters<Outbox['stage']>[0],
    turn: InboundTurn,
    composed: Composed,
    state: DialogueState,
    durationMs: number,
  ): Promise<void> {
    const { reply } = composed;
    const outbound = (kind: EventKind) =>
      this.outbox.stage(
        m,
        Topics.outbound,
        create(OutboundEventSchema, {
          tenantId: turn.tenantId,
          event: {
            eventId: randomUUID(),
            conversationId: turn.conversationId,
            turnId: turn.turnId,
            occurredAt: new Date().toISOString(),
            kind,
          },
        }),
        { conversationId: turn.conversationId },
      );
    const lifecycle = (kind: MessageInitShape<typeof ConversationLifecycleEventSchema>['kind']) =>
      this.outbox.stage(
        m,
        Topics.conversationEvents,
        create(ConversationLifecycleEventSchema, {
          tenantId: turn.tenantId,
          conversationId: turn.conversationId,
          eventId: randomUUID(),
          occurredAt: new Date().toISOString(),
          kind,
        }),
        { conversationId: turn.conversationId },
      );

    for (const record of composed.moderation) await lifecycle({ case: 'moderationApplied', value: { turnId: turn.turnId, ...record } });
    if (composed.approval) await this.requestApproval(m, turn, composed.approval, state, lifecycle);
    await outbound({ case: 'reply', value: { text: reply.text, grounded: reply.grounded, mode: reply.mode, sources: reply.sources } });
    if (reply.handoffReason) {
      await outbound({ case: 'handoff', value: { reason: reply.handoffReason, message: reply.text } });
      const summary =
        composed.summary ?? `Customer wrote at ${turn.receivedAt}; the message could not be screened (${reply.handoffReason}).`;
      await lifecycle({
        case: 'handoffRequested',
        value: {
          turnId: turn.turnId,
          customerId: turn.customerId,
          channel: turn.channel,
          reason: reply.handoffReason,
          locale: turn.locale,
          summary,
          intent: state.intent ?? '',
          tier: state.tier ?? '',
        },
      });
    }
    await lifecycle({
      case: 'turnCompleted',
      value: {
        turnId: turn.turnId,
        customerId: turn.customerId,
        channel: turn.channel,
        intent: composed.intent ?? '',
        answerMode: reply.mode,
        grounded: reply.grounded,
        durationMs: BigInt(durationMs),
        locale: turn.locale,
        tier: state.tier ?? '',
        receivedAt: turn.receivedAt,
      },
    });
    await outbound({ case: 'completed', value: { durationMs: BigInt(durationMs) } });
  }
}

/**
 * The requests of a message that makes several: read when the classifier picked an order action, or
 * was unsure between intents that include every one of them ("cancel #W… and then return the
 * bookshelf" is neither a cancellation nor a return alone).
 */
function requestsOf(understanding: Understanding, question: string, raw: string): MessageRequest[] | undefined {
  const intent = understanding.intent;
  if (intent && !ACTION_INTENTS.has(intent)) return undefined;
  const requests = requestsIn(question, raw, understanding.likely);
  const likely = understanding.likely.slice(0, 3);
  if (!intent && !requests?.every((r) => likely.includes(intentLabel(r.intent)))) return undefined;
  return requests;
}

function orderIdIn(text: string): string | undefined {
  return extractEntities(text).find((entity) => entity.type === 'order_id')?.value;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A reply as the history keeps it: the customer's name stays out (the history may reach an LLM). */
function rememberedText(state: DialogueState, text: string): string {
  return state.firstName ? text.replaceAll(state.firstName, '[NAME]') : text;
}

/** The action a message asks about, to offer after the answer: none while one is in hand or when the classifier was unsure. */
function offerable(understanding: Understanding, state: DialogueState, question: string): ActionIntent | undefined {
  const intent = understanding.intent;
  if (!intent || !ACTION_INTENTS.has(intent) || understanding.unsure || state.action) return undefined;
  return actionFor(intent, asRead(understanding, question));
}

/** The message as written and as the classifier read it, typos spelt out: what names the flow. */
function asRead(understanding: Understanding, question: string): string {
  const spelled = understanding.spelled;
  return spelled && spelled !== question ? `${question}\n${spelled}` : question;
}

/** A new action in hand: recorded as the task, then its first step. */
function startAction(state: DialogueState, action: ActionIntent, text: string, raw: string) {
  state.intent = intentLabel(action);
  return (tasks: OrderTasks) => tasks.act(state, action, text, raw);
}
