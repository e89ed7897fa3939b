// The public ChatGateway gRPC API (proto/switchboard/chat/v1/chat.proto). Thin: authenticate,
// delegate, map errors.
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { ApiKeyService, type Caller } from '../auth/api-key.service';
import { ChatService, type Subscription, type WireEvent } from './chat.service';
import type { CustomerMessageInput } from '../turns/customer-message.rules';
import { GatewayError } from '../gateway.errors';
import { toGrpcError } from './grpc-errors';
import { isUndecodable } from './undecodable-request';
import { ConversationRatingService, type RateConversationInput } from '../ratings/conversation-rating.service';

interface MessageRequest {
  message?: CustomerMessageInput | null;
}

const apiKeyOf = (metadata: Metadata): string | undefined => metadata.get('x-api-key')[0]?.toString();

const NOT_PROTOBUF = 'the request is not a valid protobuf message of this method';

/** The caller, once the request decoded and the key is good. */
async function admit(auth: ApiKeyService, request: unknown, metadata: Metadata): Promise<Caller> {
  if (isUndecodable(request)) throw new GatewayError('INVALID_ARGUMENT', NOT_PROTOBUF);
  return auth.authenticate(apiKeyOf(metadata));
}

@Controller()
export class ChatGrpcController {
  constructor(
    private readonly auth: ApiKeyService,
    private readonly chat: ChatService,
    private readonly ratings: ConversationRatingService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @GrpcMethod('ChatGateway', 'SendMessage')
  async sendMessage(request: MessageRequest, metadata: Metadata) {
    try {
      const caller = await admit(this.auth, request, metadata);
      return await this.chat.send(caller, request.message);
    } catch (error) {
      throw new RpcException(toGrpcError(error, this.log));
    }
  }

  @GrpcMethod('ChatGateway', 'RateConversation')
  async rateConversation(request: RateConversationInput, metadata: Metadata) {
    try {
      const caller = await admit(this.auth, request, metadata);
      return await this.ratings.rate(caller, request);
    } catch (error) {
      throw new RpcException(toGrpcError(error, this.log));
    }
  }

  @GrpcMethod('ChatGateway', 'Converse')
  converse(request: MessageRequest, metadata: Metadata): Observable<WireEvent> {
    return this.stream(request, metadata, (caller, signal, emit) => this.chat.converse(caller, request.message, signal, emit));
  }

  @GrpcMethod('ChatGateway', 'SubscribeConversation')
  subscribeConversation(request: Subscription, metadata: Metadata): Observable<WireEvent> {
    return this.stream(request, metadata, (caller, signal, emit) => this.chat.subscribe(caller, request, signal, emit));
  }

  /** Runs a streaming call; the client cancelling aborts `signal`. */
  private stream(
    request: unknown,
    metadata: Metadata,
    run: (caller: Caller, signal: AbortSignal, emit: (e: WireEvent) => void) => Promise<void>,
  ): Observable<WireEvent> {
    return new Observable<WireEvent>((subscriber) => {
      const aborter = new AbortController();
      admit(this.auth, request, metadata)
        .then((caller) => run(caller, aborter.signal, (e) => subscriber.next(e)))
        .then(() => subscriber.complete())
        .catch((error: unknown) => {
          if (!aborter.signal.aborted) subscriber.error(new RpcException(toGrpcError(error, this.log)));
        });
      return () => aborter.abort();
    });
  }
}
