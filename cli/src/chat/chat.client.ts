// A small ChatGateway client, as a channel adapter would write one: the demo and the end-to-end
// tests talk to Switchboard only through it.
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoDir } from '../paths';

export interface CustomerMessage {
  clientMessageId: string;
  conversationId?: string;
  customerId: string;
  channel: string;
  locale?: string;
  text: string;
  attachments?: Array<{ name: string; contentType: string; url: string; sizeBytes: number }>;
  /** The adapter authenticated `customerId` itself (a signed-in session). */
  customerAuthenticated?: boolean;
}

export interface Source {
  passageId: string;
  documentId: string;
  title: string;
  snippet: string;
  score: number;
}

/** A ConversationEvent as proto-loader decodes it (camelCase, oneof in `kind`). */
export interface ChatEvent {
  eventId: string;
  conversationId: string;
  turnId: string;
  occurredAt: string;
  kind: 'accepted' | 'delta' | 'reply' | 'handoff' | 'completed';
  accepted?: { clientMessageId: string };
  delta?: { text: string };
  reply?: { text: string; sources: Source[]; grounded: boolean; mode: string };
  handoff?: { reason: string; message: string; ticketId: string };
  completed?: { durationMs: string };
}

type ServiceClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

let definition: grpc.GrpcObject | undefined;

function loadDefinition(): grpc.GrpcObject {
  definition ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(path.join(protoDir, 'switchboard/chat/v1/chat.proto'), {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [protoDir],
    }),
  );
  return definition;
}

const ROUND_ROBIN: grpc.ChannelOptions = { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) };

export class ChatClient {
  private readonly client: ServiceClient;

  /**
   * `address`: one gateway (host:port), or several separated by commas, which calls are spread
   * over round-robin (gRPC's client-side balancing): when one gateway dies, only the calls open on
   * it fail, and new calls go to the others.
   */
  constructor(
    address: string,
    private readonly apiKey: string,
  ) {
    const pkg = loadDefinition() as unknown as {
      switchboard: {
        chat: {
          v1: { ChatGateway: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => ServiceClient };
        };
      };
    };
    const several = address.includes(',');
    this.client = new pkg.switchboard.chat.v1.ChatGateway(
      several ? `ipv4:${address}` : address,
      grpc.credentials.createInsecure(),
      several ? ROUND_ROBIN : undefined,
    );
  }

  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    if (this.apiKey) metadata.set('x-api-key', this.apiKey);
    return metadata;
  }

  sendMessage(message: CustomerMessage | null): Promise<{ conversationId: string; turnId: string; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.client.SendMessage(
        { message },
        this.metadata(),
        { deadline: Date.now() + 15_000 },
        (error: grpc.ServiceError | null, response: { conversationId: string; turnId: string; duplicate: boolean }) => {
          if (error) reject(error);
          else resolve(response);
        },
      );
    });
  }

  /** The customer's 1-5 rating (and optional comment) of their conversation; recorded once. */
  rateConversation(request: {
    conversationId: string;
    customerId: string;
    channel: string;
    rating: number;
    comment?: string;
  }): Promise<{ conversationId: string; rating: number; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.client.RateConversation(
        request,
        this.metadata(),
        { deadline: Date.now() + 20_000 },
        (error: grpc.ServiceError | null, response: { conversationId: string; rating: number; duplicate: boolean }) => {
          if (error) reject(error);
          else resolve(response);
        },
      );
    });
  }

  /** Sends one message and yields that turn's events until it completes. */
  converse(message: CustomerMessage, timeoutMs = 180_000): AsyncIterable<ChatEvent> {
    return this.readStream(
      this.client.Converse({ message }, this.metadata(), { deadline: Date.now() + timeoutMs }) as grpc.ClientReadableStream<ChatEvent>,
    );
  }

  /** Follows a conversation, as the customer who opened it on `channel`, until `cancel()` is called. */
  subscribe(
    conversationId: string,
    follower: { customerId: string; channel: string },
    afterEventId = '',
  ): { events: AsyncIterable<ChatEvent>; cancel: () => void } {
    const call = this.client.SubscribeConversation(
      { conversationId, afterEventId, customerId: follower.customerId, channel: follower.channel },
      this.metadata(),
    ) as grpc.ClientReadableStream<ChatEvent>;
    return { events: this.readStream(call), cancel: () => call.cancel() };
  }

  private async *readStream(call: grpc.ClientReadableStream<ChatEvent>): AsyncIterable<ChatEvent> {
    try {
      for await (const event of call) yield event as ChatEvent;
    } catch (error) {
      if ((error as grpc.ServiceError).code !== grpc.status.CANCELLED) throw error;
    }
  }

  close(): void {
    this.client.close();
  }
}
