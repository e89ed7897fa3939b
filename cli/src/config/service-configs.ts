// Each service's own configuration: its shape (the variables, their defaults and descriptions) and
// the loader it starts with. The CLI reads these instead of repeating any of it.
import { shapeDefault, type ZodRawShape } from '@switchboard/config';
import { analyticsConfigShape, loadAnalyticsConfig } from '@switchboard/analytics-service/dist/config';
import { consoleConfigShape, loadConsoleConfig } from '@switchboard/console-service/dist/config';
import { conversationConfigShape, loadConversationConfig } from '@switchboard/conversation-service/dist/config';
import { gatewayConfigShape, loadGatewayConfig } from '@switchboard/gateway-service/dist/config';
import { generationConfigShape, loadGenerationConfig } from '@switchboard/generation-service/dist/config';
import { integrationConfigShape, loadIntegrationConfig } from '@switchboard/integration-service/dist/config';
import { loadModerationConfig, moderationConfigShape } from '@switchboard/moderation-service/dist/config';
import { loadRetrievalConfig, retrievalConfigShape } from '@switchboard/retrieval-service/dist/config';
import { loadTicketingConfig, ticketingConfigShape } from '@switchboard/ticketing-service/dist/config';

export interface ServiceConfig {
  shape: ZodRawShape;
  /** Validates `env` as the service does at start-up; throws ConfigError naming each problem. */
  load(env: NodeJS.ProcessEnv): unknown;
}

/** In the order the docs list them: the request path first. */
export const SERVICE_CONFIGS = {
  gateway: { shape: gatewayConfigShape, load: loadGatewayConfig },
  conversation: { shape: conversationConfigShape, load: loadConversationConfig },
  retrieval: { shape: retrievalConfigShape, load: loadRetrievalConfig },
  generation: { shape: generationConfigShape, load: loadGenerationConfig },
  moderation: { shape: moderationConfigShape, load: loadModerationConfig },
  integration: { shape: integrationConfigShape, load: loadIntegrationConfig },
  ticketing: { shape: ticketingConfigShape, load: loadTicketingConfig },
  analytics: { shape: analyticsConfigShape, load: loadAnalyticsConfig },
  console: { shape: consoleConfigShape, load: loadConsoleConfig },
} satisfies Record<string, ServiceConfig>;

export type ServiceName = keyof typeof SERVICE_CONFIGS;
export const SERVICE_NAMES = Object.keys(SERVICE_CONFIGS) as ServiceName[];

export const isServiceName = (name: string): name is ServiceName => Object.hasOwn(SERVICE_CONFIGS, name);

/** A gateway on this machine with its own default ports, for the commands that talk to one. */
export const localGateway = {
  grpcAddress: `127.0.0.1:${shapeDefault(gatewayConfigShape, 'GRPC_PORT')}`,
  restUrl: `http://127.0.0.1:${shapeDefault(gatewayConfigShape, 'HTTP_PORT')}`,
};
