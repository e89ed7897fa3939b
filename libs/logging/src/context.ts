// The ids of the message or request being handled, carried implicitly through async calls so that
// every log line and every message published while handling it inherits them.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface TraceContext {
  tenantId?: string;
  conversationId?: string;
  correlationId: string;
  /** The id of the message being handled; becomes the causation id of what it publishes. */
  messageId?: string;
  traceparent?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function runWithContext<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): TraceContext | undefined {
  return storage.getStore();
}
