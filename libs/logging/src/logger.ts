// Structured JSON logs (pretty when a person watches a terminal). Every argument of every log call
// goes through redaction.ts first, so a careless `log.info({ message })` or `log.error({ err })`
// cannot leak secrets or customer data, however deep they sit.
import pino, { Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { currentContext } from './context';
import { redactText, redactValue } from './redaction';

export type { Logger };

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // `log.error(err)`: pino would take the message from the error; take it redacted instead.
        if (first instanceof Error) {
          const err = redactValue(first) as { message: string };
          return method.apply(this, [{ err }, ...(rest.length > 0 ? rest.map(redactArgument) : [err.message])] as unknown as Parameters<
            typeof method
          >);
        }
        return method.apply(this, [redactArgument(first), ...rest.map(redactArgument)] as unknown as Parameters<typeof method>);
      },
    },
    formatters: { bindings: (bindings) => redactValue(bindings) as Record<string, unknown> },
    // Errors are already flattened (and cleaned) by redactValue; pino's own serializer would copy
    // their properties back and call every one of them "Object".
    serializers: { err: (err: unknown) => err },
    mixin() {
      const ctx = currentContext();
      return ctx ? { tenantId: ctx.tenantId, conversationId: ctx.conversationId, correlationId: ctx.correlationId } : {};
    },
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

function redactArgument(value: unknown): unknown {
  return typeof value === 'string' ? redactText(value) : redactValue(value);
}

/** Routes Nest's own log calls into the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
