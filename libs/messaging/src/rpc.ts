// Request-reply over Kafka. A request carries `sb-reply-to` (the caller service's reply topic) and
// `sb-deadline`; the reply's correlation id is the request's message id. Every replica of a caller
// reads its service's whole reply topic with a group of its own and keeps only its own replies,
// which needs no per-replica topics; a responder skips requests whose deadline has passed.
//
// A caller that asks again after a timeout sends the same request id (`requestId`): the responder
// keeps each reply for a few minutes and sends it again, and does not start a request already
// under way (that run will reply), so asking again never doubles the work. Any attempt's reply
// answers the call, since all of them wait on the one id.
import { randomUUID } from 'node:crypto';
import { fromJsonString, toJsonString, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { describeViolations, replyTopicOf, type RpcTopic } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { Consumer } from 'kafkajs';
import { Header, headerValue, newEnvelope, writeEnvelope } from './envelope';
import { InvalidMessageError, permanentCode, RpcRemoteError, RpcTimeoutError } from './errors';
import type { KafkaBus, RawDelivery } from './kafka-bus';
import { rpcSeconds } from './metrics';
import type { StoredReply } from './reply-store';

interface Pending {
  topic: string;
  resolve: (value: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const PROBE = 'probe';
const PROBE_EVERY_MS = 150;

export class RpcClient {
  private readonly pending = new Map<string, Pending>();
  private consumer?: Consumer;
  private ready?: () => void;

  constructor(
    private readonly bus: KafkaBus,
    private readonly log: Logger,
  ) {}

  get replyTopic(): string {
    return replyTopicOf(this.bus.service);
  }

  /** Joins the reply topic and waits until a probe sent to it comes back, so no reply is missed. */
  async start(): Promise<void> {
    await this.bus.ensureTopics([{ name: this.replyTopic, partitions: 3 }]);
    const probeId = randomUUID();
    const probed = new Promise<void>((resolve) => (this.ready = resolve));
    this.consumer = await this.bus.subscribeRaw(
      this.replyTopic,
      `rpc.replies.${this.bus.service}.${this.bus.options.instanceId}`,
      async (raw) => this.onReply(raw, probeId),
    );
    const deadline = Date.now() + 30_000;
    // A probe can precede our offset lookup (a new group starts at the end) and go unseen: send one
    // at once and again every PROBE_EVERY_MS until one arrives: a few more empty probes (other
    // replicas skip them) cost less than every start waiting longer.
    for (;;) {
      await this.bus.send(this.replyTopic, probeId, '', {
        [Header.replyStatus]: PROBE,
        [Header.messageId]: probeId,
        'sb-correlation-id': probeId,
      });
      if (await Promise.race([probed.then(() => true), sleep(PROBE_EVERY_MS).then(() => false)])) break;
      if (Date.now() > deadline) throw new Error(`reply topic ${this.replyTopic} did not become readable within 30 s`);
    }
    this.log.debug({ topic: this.replyTopic }, 'reply topic ready');
  }

  private async onReply(raw: RawDelivery, probeId: string): Promise<void> {
    const correlationId = headerValue(raw.message.headers, Header.correlationId);
    const status = headerValue(raw.message.headers, Header.replyStatus);
    if (status === PROBE) {
      if (correlationId === probeId) this.ready?.();
      return;
    }
    const pending = correlationId ? this.pending.get(correlationId) : undefined;
    if (!pending) return; // another replica's reply, or one that came after its timeout
    this.pending.delete(correlationId!);
    clearTimeout(pending.timer);
    const body = raw.message.value?.toString('utf8') ?? '';
    if (status === 'ok') pending.resolve(body);
    else {
      const { code, message } = safeJson(body);
      pending.reject(new RpcRemoteError(pending.topic, code, message));
    }
  }

  async request<Req extends DescMessage, Res extends DescMessage>(
    rpc: RpcTopic<Req, Res>,
    message: MessageShape<Req>,
    options: {
      timeoutMs: number;
      conversationId?: string;
      /** The id of the request being asked again; pass the same one on every attempt of one call. */
      requestId?: string;
    },
  ): Promise<MessageShape<Res>> {
    if (!this.consumer) throw new Error('RpcClient.start() was not called');
    const violations = rpc.validate(message);
    if (violations.length > 0)
      throw new InvalidMessageError(`refusing to send an invalid ${rpc.name} request: ${describeViolations(violations)}`);
    const envelope = newEnvelope({
      type: rpc.request.typeName,
      tenantId: rpc.tenantOf(message),
      conversationId: options.conversationId,
      producer: this.bus.service,
      messageId: options.requestId,
    });
    if (this.pending.has(envelope.messageId))
      throw new Error(`request ${envelope.messageId} to ${rpc.name} is already waiting for its reply`);
    envelope.replyTo = this.replyTopic;
    envelope.deadline = Date.now() + options.timeoutMs;
    const started = Date.now();
    const reply = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.messageId);
        reject(new RpcTimeoutError(rpc.name, options.timeoutMs));
      }, options.timeoutMs);
      this.pending.set(envelope.messageId, { topic: rpc.name, resolve, reject, timer });
    });
    let outcome = 'ok';
    try {
      // Awaited together: while the broker is down the send can still be retrying when the timeout
      // fires, and a rejection nobody awaits would take the whole process down.
      const [, body] = await Promise.all([
        this.bus.send(rpc.name, rpc.key(message), toJsonString(rpc.request, message), writeEnvelope(envelope)),
        reply,
      ]);
      return fromJsonString(rpc.response, body);
    } catch (error) {
      outcome = error instanceof RpcTimeoutError ? 'timeout' : 'error';
      const pending = this.pending.get(envelope.messageId);
      if (pending) {
        clearTimeout(pending.timer);
        this.pending.delete(envelope.messageId);
      }
      throw error;
    } finally {
      rpcSeconds.observe({ topic: rpc.name, outcome }, (Date.now() - started) / 1000);
    }
  }

  async stop(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`client stopped before ${p.topic} replied`));
      this.pending.delete(id);
    }
    await this.consumer?.disconnect();
  }
}

/**
 * Answers requests on `rpc.name` with `handler`; a bad request gets an error reply at once. A
 * request id already answered gets the stored reply again; one being answered elsewhere is left
 * to that run.
 */
export async function serveRpc<Req extends DescMessage, Res extends DescMessage>(
  bus: KafkaBus,
  rpc: RpcTopic<Req, Res>,
  handler: (request: MessageShape<Req>) => Promise<MessageShape<Res>>,
  log: Logger,
  options: { concurrency?: number } = {},
): Promise<Consumer> {
  const replies = bus.options.replies;
  if (!replies) throw new Error(`cannot serve ${rpc.name}: the bus has no reply store (BusOptions.replies)`);
  const reply = async (replyTo: string | undefined, correlationId: string, tenantId: string, { status, body }: StoredReply) => {
    if (!replyTo) return;
    const envelope = newEnvelope({
      type: status === 'ok' ? rpc.response.typeName : 'switchboard.rpc.Error',
      tenantId,
      producer: bus.service,
    });
    envelope.correlationId = correlationId;
    await bus.send(replyTo, correlationId, body, { ...writeEnvelope(envelope), [Header.replyStatus]: status });
  };
  const topic = {
    name: rpc.name,
    schema: rpc.request,
    validate: (m: MessageShape<Req>) => rpc.validate(m),
    tenantOf: (m: MessageShape<Req>) => rpc.tenantOf(m),
  };
  return bus.subscribe(
    topic,
    async ({ message, envelope }) => {
      if (envelope.deadline && Date.now() > envelope.deadline) {
        log.warn({ topic: rpc.name, messageId: envelope.messageId }, 'skipping a request whose caller stopped waiting');
        return;
      }
      const state = await replies.claim(envelope.tenantId, rpc.name, envelope.messageId);
      if (state.kind === 'busy') {
        log.info({ topic: rpc.name, messageId: envelope.messageId }, 'a request asked again is still being answered; that run replies');
        return;
      }
      if (state.kind === 'replied') {
        await reply(envelope.replyTo, envelope.messageId, envelope.tenantId, state.reply);
        return;
      }
      let answer: StoredReply;
      try {
        answer = { status: 'ok', body: toJsonString(rpc.response, await handler(message)) };
      } catch (error) {
        const code = permanentCode(error);
        if (code === undefined) {
          // The bus's retry (or a dead letter's error reply) answers; a claim left behind lapses.
          await state.claim
            .release()
            .catch((failure: unknown) => log.warn({ err: failure, topic: rpc.name }, 'could not release the claim on a failed request'));
          throw error;
        }
        answer = { status: 'error', body: JSON.stringify({ code, message: (error as Error).message }) };
      }
      // An unstored reply still goes out; only a later ask would run the handler again.
      await state.claim
        .store(answer)
        .catch((error: unknown) => log.warn({ err: error, topic: rpc.name }, 'could not store the reply for requests asked again'));
      await reply(envelope.replyTo, envelope.messageId, envelope.tenantId, answer);
    },
    {
      concurrency: options.concurrency ?? 3,
      maxAttempts: 3,
      dedupe: false,
      onDeadLetter: async (raw, reason, error) => {
        const replyTo = headerValue(raw.message.headers, Header.replyTo);
        const messageId = headerValue(raw.message.headers, Header.messageId);
        const tenantId = headerValue(raw.message.headers, Header.tenantId) ?? 'unknown';
        if (messageId)
          await reply(replyTo, messageId, tenantId, {
            status: 'error',
            body: JSON.stringify({ code: error instanceof InvalidMessageError ? 'INVALID_ARGUMENT' : 'INTERNAL', message: reason }),
          });
      },
    },
  );
}

function safeJson(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { code?: string; message?: string };
    return { code: parsed.code ?? 'UNKNOWN', message: parsed.message ?? body };
  } catch {
    return { code: 'UNKNOWN', message: body };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
