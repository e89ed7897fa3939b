// Which agent is calling. Until real user authentication arrives (issue #6), the agent names
// themselves in the x-agent-id header and the API key (scope "agent") vouches for the tenant only:
// any holder of the key can act as any agent of that tenant.
import { GatewayError } from '../gateway.errors';

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function agentIdFrom(header: string | undefined): string {
  if (header === undefined || header === '') throw GatewayError.invalid([{ field: 'x-agent-id', problem: 'header is required: send the id of the agent making the call' }]);
  if (!AGENT_ID.test(header)) throw GatewayError.invalid([{ field: 'x-agent-id', problem: 'must be 1-64 letters, digits, . _ @ or -, starting with a letter or digit' }]);
  return header;
}
