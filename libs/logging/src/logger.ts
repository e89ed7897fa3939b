// Structured JSON logs (pretty when a person watches a terminal). Secrets and customer text are
// redacted by key, so a careless `log.info({ message })` cannot leak them.
import pino, { Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { currentContext } from './context';

export type { Logger };

// Keys whose values never reach a log line, wherever they appear in the object.
export const REDACTED_KEYS = [
  'text', 'content', 'password', 'apiKey', 'api_key', 'authorization', 'x-api-key', 'token', 'secret',
  'email', 'phone', 'address', 'summary', 'question', 'query', 'answer', 'DATABASE_URL', 'LLM_API_KEY',
];

// pino paths: `key`, `*.key`, `*.*.key`; keys with dashes need bracket syntax.
const redactPaths = REDACTED_KEYS.flatMap((k) => {
  const access = /^\w+$/.test(k) ? `.${k}` : `["${k}"]`;
  return [access.replace(/^\./, ''), `*${access}`, `*.*${access}`];
});

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    mixin() {
      const ctx = currentContext();
      return ctx ? { tenantId: ctx.tenantId, conversationId: ctx.conversationId, correlationId: ctx.correlationId } : {};
    },
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own log calls into the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) { this.logger.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.logger.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: string) { this.logger.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.logger.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.logger.trace({ context }, String(message)); }
}
